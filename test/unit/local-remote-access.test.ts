import { chmod, chown, mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { unwritableLocalRemote } from '../../src/activities/local-remote-access.js';

const JOB_USER = '1000:1000';
const asRoot = process.getuid?.() === 0;
let remote: string;

beforeEach(async () => {
  remote = path.join(await mkdtemp(path.join(os.tmpdir(), 'remote-access-')), 'app.git');
  await mkdir(path.join(remote, 'objects', 'ab'), { recursive: true });
  await mkdir(path.join(remote, 'refs', 'heads'), { recursive: true });
});

async function mode(dirs: string[], bits: number, owner?: [number, number]) {
  for (const dir of dirs) {
    await chmod(path.join(remote, dir), bits);
    if (owner) await chown(path.join(remote, dir), ...owner);
  }
}

describe.runIf(asRoot)('unwritableLocalRemote', () => {
  const all = ['.', 'objects', 'objects/ab', 'refs', 'refs/heads'];

  it('accepts a repository everyone may write, or the job user owns, or its group may write', async () => {
    await mode(all, 0o777);
    expect(await unwritableLocalRemote(remote, JOB_USER)).toBeUndefined();
    await mode(all, 0o755, [1000, 1000]);
    expect(await unwritableLocalRemote(`file://${remote}`, JOB_USER)).toBeUndefined();
    await mode(all, 0o775, [0, 1000]);
    expect(await unwritableLocalRemote(remote, JOB_USER)).toBeUndefined();
  });

  it('names the first directory the job user cannot write, and the commands that fix it', async () => {
    await mode(all, 0o777);
    await mode(['objects/ab'], 0o755, [0, 0]);
    expect(await unwritableLocalRemote(remote, JOB_USER)).toBe(
      `repository ${remote} cannot take the run's push: the job user 1000:1000 cannot write ` +
        `${remote}/objects/ab (owner 0:0, mode 755). Give it to the job user (\`chown -R 1000:1000 ${remote}\`) ` +
        `or let everyone write it (\`chmod -R a+rwX ${remote}\`), set SPECKIT_JOB_USER to a user who can, ` +
        'or publish nothing (--publish none).',
    );
  });

  it('checks the .git directory of a non-bare repository', async () => {
    const work = path.dirname(remote);
    await mkdir(path.join(work, '.git', 'refs'), { recursive: true });
    await chmod(path.join(work, '.git'), 0o777);
    await chmod(path.join(work, '.git', 'refs'), 0o755);
    expect(await unwritableLocalRemote(work, JOB_USER)).toMatch(/cannot write .*\/\.git\/refs \(owner 0:0/);
  });

  it('leaves URLs and missing paths to the clone', async () => {
    expect(await unwritableLocalRemote('https://github.com/acme/app.git', JOB_USER)).toBeUndefined();
    expect(await unwritableLocalRemote('/nonexistent/app.git', JOB_USER)).toBeUndefined();
  });
});
