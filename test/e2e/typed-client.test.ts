// The README's client example, compiled as a consumer would: in a project of its own that imports the
// built package by name, so missing declarations (TS7016) or exports would fail it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const PACKAGE = path.resolve('.');
const TSC = path.join(PACKAGE, 'node_modules/.bin/tsc');
let project: string;

beforeAll(async () => {
  if (!existsSync(path.join(PACKAGE, 'dist/index.d.ts'))) {
    throw new Error('dist/index.d.ts is missing: run `npm run build` first (npm test does)');
  }
  project = await mkdtemp(path.join(os.tmpdir(), 'speckit-consumer-'));
  await mkdir(path.join(project, 'node_modules'));
  // As `npm install /path/to/speckit-automation` leaves it: a link to the package.
  await symlink(PACKAGE, path.join(project, 'node_modules/speckit-automation'));
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(PACKAGE, 'node_modules/@types')],
  };
  await writeFile(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, include: ['*.ts'] }),
  );
});

/** The first ```ts block of a README section. */
async function readmeExample(heading: string): Promise<string> {
  const readme = await readFile(path.join(PACKAGE, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(`\n## ${heading}\n`));
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!example || !section.startsWith('\n## '))
    throw new Error(`README has no ts example under "${heading}"`);
  return example;
}

const MISUSE = [
  "import { type RunSummary, SpecKitClient, loadConfig } from 'speckit-automation';",
  'const client = await SpecKitClient.connect(loadConfig(process.env));',
  "await client.startRun({ repo: 42, specifyText: 'x', agent: { backend: 'gpt' } });",
  'const summary: RunSummary = await client.result("r");',
  'const n: number = summary.status;',
].join('\n');

/** One compilation of both files (tsc takes seconds): its error lines, by file. */
let compiled: Promise<string> | undefined;
function compile(): Promise<string> {
  compiled ??= (async () => {
    await writeFile(
      path.join(project, 'example.ts'),
      await readmeExample('Using the client from TypeScript'),
    );
    await writeFile(path.join(project, 'misuse.ts'), MISUSE);
    return exec(TSC, ['-p', project]).then(
      ({ stdout }) => stdout,
      (err: { stdout: string }) => err.stdout,
    );
  })();
  return compiled;
}

describe('the package for TypeScript consumers', () => {
  it('type-checks the README example against the built package, imported by name', async () => {
    const output = await compile();
    expect(output).toContain('misuse.ts'); // the compiler did run, and reported what it found
    expect(output.split('\n').filter((line) => line.includes('example.ts'))).toEqual([]);
  });

  it('gives real types, not any: a wrong input or a wrong use of the summary does not compile', async () => {
    const output = await compile();
    expect(output).not.toContain('TS7016');
    expect(output).toMatch(/misuse\.ts\(3,.*error TS2322: Type 'number' is not assignable to type 'string'/);
    expect(output).toMatch(/misuse\.ts\(3,.*error TS2322: Type '"gpt"' is not assignable/);
    expect(output).toMatch(/misuse\.ts\(5,.*error TS2322: Type '.*' is not assignable to type 'number'/);
  });
});
