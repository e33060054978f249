import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitCredentialEnv } from '../../src/secrets.js';
import { createGitHttpServer, type GitHttpServer } from '../support/git-http-server.js';

const TOKEN = 'ghp_gitHttpServerTestToken0123456789';
const exec = promisify(execFile);

let dir: string;
let server: GitHttpServer;
let remote: string;

// Only what the job containers have: no host or user git config, no prompts, the helper from the
// environment (src/secrets.ts) holding the token.
function gitEnv(credentials: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@localhost',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@localhost',
    GIT_TERMINAL_PROMPT: '0',
    ...credentials,
  };
}

async function git(credentials: Record<string, string>, ...args: string[]) {
  return exec('git', args, { cwd: dir, env: gitEnv(credentials), timeout: 30_000 });
}

async function gitFails(credentials: Record<string, string>, ...args: string[]) {
  const err = await git(credentials, ...args).then(
    () => undefined,
    (e: unknown) => e as { code: number; stderr: string },
  );
  expect(err).toBeDefined();
  return err as { code: number; stderr: string };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'git-http-'));
  await exec('git', ['init', '--quiet', '--bare', '-b', 'main', path.join(dir, 'srv/acme/app.git')]);
  server = await createGitHttpServer({ root: path.join(dir, 'srv'), token: TOKEN });
  remote = server.url('acme/app.git');
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('git smart-HTTP server', () => {
  const withToken = () => gitCredentialEnv(TOKEN);

  it('serves push and clone to git with the token from the credential helper', async () => {
    await git({}, 'init', '--quiet', '-b', 'main', 'seed');
    await writeFile(path.join(dir, 'seed/README.md'), '# app\n');
    await git({}, '-C', 'seed', 'add', '.');
    await git({}, '-C', 'seed', 'commit', '--quiet', '-m', 'seed');
    await git(withToken(), '-C', 'seed', 'push', '--quiet', remote, 'main');

    await git(withToken(), 'clone', '--quiet', remote, 'clone');
    expect(await readFile(path.join(dir, 'clone/README.md'), 'utf8')).toBe('# app\n');

    await git({}, '-C', 'clone', 'switch', '--quiet', '-c', 'speckit/001-feature');
    await writeFile(path.join(dir, 'clone/spec.md'), 'spec\n'.repeat(10_000));
    await git({}, '-C', 'clone', 'add', '.');
    await git({}, '-C', 'clone', 'commit', '--quiet', '-m', 'spec');
    await git(withToken(), '-C', 'clone', 'push', '--quiet', 'origin', 'speckit/001-feature');
    const { stdout } = await git(
      {},
      '--git-dir',
      'srv/acme/app.git',
      'log',
      '--format=%s',
      'speckit/001-feature',
    );
    expect(stdout).toBe('spec\nseed\n');
  });

  it('streams chunked pushes and gzipped fetch negotiations through http-backend', async () => {
    const trace = { ...withToken(), GIT_TRACE_CURL: '1', GIT_TRACE_CURL_NO_DATA: '1' };
    // A pack over http.postBuffer (1 MiB) is sent with chunked transfer encoding, no Content-Length.
    await git({}, '-C', 'clone', 'switch', '--quiet', '-c', 'big');
    await writeFile(path.join(dir, 'clone/blob.bin'), randomBytes(2 * 1024 * 1024));
    await git({}, '-C', 'clone', 'add', '.');
    await git({}, '-C', 'clone', 'commit', '--quiet', '-m', 'big');
    const push = await git(trace, '-C', 'clone', 'push', '--quiet', 'origin', 'big');
    expect(push.stderr).toMatch(/Send header: Transfer-Encoding: chunked/);

    // Many local commits make the fetch negotiation big enough for git to gzip it.
    await exec('bash', ['-c', 'for i in $(seq 60); do git commit --quiet --allow-empty -m "$i"; done'], {
      cwd: path.join(dir, 'seed'),
      env: gitEnv({}),
    });
    const fetch = await git(trace, '-C', 'seed', 'fetch', '--quiet', remote, 'big');
    expect(fetch.stderr).toMatch(/Send header: Content-Encoding: gzip/);
    const { stdout: fetched } = await git({}, '-C', 'seed', 'rev-parse', 'FETCH_HEAD');
    const { stdout: pushed } = await git({}, '-C', 'clone', 'rev-parse', 'big');
    expect(fetched).toBe(pushed);
  });

  it('leaves the token out of .git/config and the remote URL', async () => {
    const { stdout: url } = await git({}, '-C', 'clone', 'remote', 'get-url', 'origin');
    expect(url.trim()).toBe(remote);
    const { stdout: files } = await exec('grep', ['-rl', TOKEN, path.join(dir, 'clone/.git')]).catch(
      (e: { stdout: string }) => e,
    );
    expect(files).toBe('');
    expect(await readFile(path.join(dir, 'clone/.git/config'), 'utf8')).not.toContain(TOKEN);
  });

  it('fails with an authentication error and exit code 128 on a wrong token, without prompting', async () => {
    const err = await gitFails(gitCredentialEnv('ghp_wrong'), 'ls-remote', remote);
    expect(err.code).toBe(128);
    expect(err.stderr).toMatch(/Authentication failed for/);
  });

  it('fails at once without credentials, since prompts are disabled', async () => {
    const err = await gitFails({}, 'ls-remote', remote);
    expect(err.code).toBe(128);
    expect(err.stderr).toMatch(/could not read Username.*terminal prompts disabled/);
  });
});
