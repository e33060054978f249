// A large repository for the clone measurement, generated once and kept in the cache: a few hundred
// MB of history that does not compress (random bytes), as a long-lived repository with binary
// assets has. Written with `git fast-import`, which is far faster than committing file by file.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_DIR } from './paths.js';
import { check } from './proc.js';

const COMMITS = 300;
const BLOB_BYTES = 1024 * 1024;

/** The path of the bare repository (made on first use, about 300 MB). */
export async function ensureLargeRepo(): Promise<string> {
  const repo = path.join(CACHE_DIR, 'bench', `large-${COMMITS}x${BLOB_BYTES}.git`);
  if (existsSync(path.join(repo, 'bench-complete'))) return repo;
  const partial = `${repo}.partial`;
  await rm(partial, { recursive: true, force: true });
  await check('git', ['init', '--quiet', '--bare', '--initial-branch=main', partial]);
  const importer = spawn('git', ['-C', partial, 'fast-import', '--quiet'], {
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const write = async (data: string | Buffer) => {
    if (!importer.stdin.write(data)) await once(importer.stdin, 'drain');
  };
  for (let i = 1; i <= COMMITS; i++) {
    const blob = randomBytes(BLOB_BYTES);
    const message = `asset ${i}\n`;
    const when = 1_700_000_000 + i * 3600;
    await write(`commit refs/heads/main\ncommitter bench <bench@localhost> ${when} +0000\n`);
    await write(`data ${Buffer.byteLength(message)}\n${message}`);
    // Every commit adds an asset and rewrites a shared one: history is more than the last tree.
    await write(`M 100644 inline assets/asset-${String(i).padStart(4, '0')}.bin\ndata ${blob.length}\n`);
    await write(blob);
    await write('\n');
    await write(`M 100644 inline README.md\ndata ${message.length + 2}\n# ${message}\n`);
  }
  importer.stdin.end();
  const [code] = (await once(importer, 'close')) as [number];
  if (code !== 0) throw new Error(`git fast-import exited ${code}`);
  // Readable by the job user; the clone container mounts it at its own path.
  await check('chmod', ['-R', 'a+rX', partial]);
  await writeFile(path.join(partial, 'bench-complete'), '');
  await rm(repo, { recursive: true, force: true });
  await rename(partial, repo);
  return repo;
}
