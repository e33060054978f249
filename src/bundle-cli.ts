// Bundles the CLI at build time (`npm run build`) into dist/bin/: its start is what an operator's
// script waits for, and Node's loader spent ~100 ms of it finding and compiling ~130 files, most
// of them zod's (its locales alone, which a bundle leaves out). One file per command, loaded when
// the command runs, as src/cli/main.ts lazy-loads them.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

/** What every CLI start loads: bundled. Every other package is loaded from node_modules. */
const BUNDLED = new Set(['commander', 'zod']);

/**
 * Modules that find files beside themselves (import.meta.url): loaded from their place in dist/,
 * not copied into the bundle, so that the paths they compute stay right.
 */
const FIND_FILES_BESIDE_THEM = ['workflow-code.js', 'db/migrate.js'];

const DIST = 'dist';
const OUT = path.join(DIST, 'bin');

const besideThemselves: Plugin = {
  name: 'beside-themselves',
  setup(build) {
    build.onResolve({ filter: /\.js$/ }, ({ path: imported, resolveDir }) => {
      const file = path.relative(DIST, path.resolve(resolveDir, imported));
      if (!FIND_FILES_BESIDE_THEM.includes(file)) return undefined;
      return { path: path.relative(OUT, path.join(DIST, file)), external: true };
    });
    // Any other module of ours that does so would compute its paths from dist/bin/: refuse it.
    build.onLoad({ filter: /\.js$/ }, async ({ path: file }) => {
      if (file.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const contents = await readFile(file, 'utf8');
      if (contents.includes('import.meta')) {
        throw new Error(`${file} uses import.meta: add it to FIND_FILES_BESIDE_THEM in src/bundle-cli.ts`);
      }
      return { contents, loader: 'js' };
    });
  },
};

const { dependencies } = JSON.parse(await readFile('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
};

// A fresh directory: chunk names change with their contents.
await rm(OUT, { recursive: true, force: true });
await build({
  entryPoints: { 'speckit-automation': path.join(DIST, 'cli/main.js') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
  plugins: [besideThemselves],
  // commander is CommonJS and requires Node's modules, which an ES module bundle cannot do itself.
  banner: {
    js: "import { createRequire as requireFromHere } from 'node:module'; const require = requireFromHere(import.meta.url);",
  },
  logLevel: 'warning',
});
