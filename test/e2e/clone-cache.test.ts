// The clone cache on the real stack: runs clone from a per-host mirror of their repository
// (git/clone-cache), refreshed by fetch, bounded, and never holding a credential.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cloneCacheKey } from '../../src/git/clone-cache.js';
import type { RunSummary } from '../../src/run/summary.js';
import { runPaths } from '../../src/workspace.js';
import { createGitHttpServer, type GitHttpServer } from '../support/git-http-server.js';
import { exec, git, makeSampleRepo, startTestStack, type TestStack } from '../support/test-stack.js';

const TOKEN = 'ghp_cloneCacheTestToken0123456789abcdefgh';
// Two of the padded repositories below fit, three do not.
const MAX_MB = 1;
const PADDING_KB = 400;

let stack: TestStack;
let gitServer: GitHttpServer;
let httpRoot: string;
let cacheDir: string;
const holders: ChildProcess[] = [];

beforeAll(async () => {
  httpRoot = await mkdtemp(path.join(os.tmpdir(), 'speckit-http-'));
  gitServer = await createGitHttpServer({ root: httpRoot, token: TOKEN });
  // Job containers share the host's network so they reach the git server on loopback.
  stack = await startTestStack({
    GITHUB_TOKEN: TOKEN,
    SPECKIT_JOB_NETWORK: 'host',
    SPECKIT_CLONE_CACHE_MAX_MB: String(MAX_MB),
  });
  cacheDir = stack.config.cloneCache?.dir as string;
});
afterAll(async () => {
  await stack?.stop();
  await gitServer?.close();
});
afterEach(() => {
  for (const h of holders.splice(0)) release(h);
});

/** Holds a mirror's lock shared, as a run cloning from it does, until released. */
async function holdLock(repo: string): Promise<ChildProcess> {
  const lock = `${mirrorOf(repo).slice(0, -4)}.lock`;
  // Its own process group: flock's child (the sleep) holds the lock too, and goes with it.
  const holder = spawn('flock', ['-s', lock, '-c', 'echo locked; exec sleep 120'], { detached: true });
  holders.push(holder);
  await new Promise((resolve) => holder.stdout?.once('data', resolve));
  return holder;
}

async function release(holder: ChildProcess): Promise<void> {
  if (holder.exitCode !== null || holder.signalCode !== null) return;
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  process.kill(-(holder.pid as number), 'SIGTERM');
  await exited;
}

interface CloneResult {
  baseCommit: string;
  cache: string;
  cloneMs: number;
}

/**
 * A run as short as a run gets: one phase, nothing published. A bare repository on this host is
 * named by its file:// URL: git clones a plain path by copying its files, and the cache skips it.
 */
async function run(repo: string): Promise<RunSummary & { clone: CloneResult }> {
  const { runId } = await stack.client.startRun({
    repo: repo.startsWith('/') ? pathToFileURL(repo).href : repo,
    specifyText: 'Add tags to to-do items',
    agent: { backend: 'scripted' },
    phases: ['specify'],
    publish: { mode: 'none' },
  });
  const summary = await stack.client.result(runId);
  expect(summary.status, summary.error).toBe('succeeded');
  const { artifactsDir } = runPaths(stack.config.workspaceRoot, runId);
  const clone = JSON.parse(await readFile(path.join(artifactsDir, 'clone.result.json'), 'utf8'));
  return { ...summary, clone };
}

function cloneLog(runId: string): Promise<string> {
  const { artifactsDir } = runPaths(stack.config.workspaceRoot, runId);
  return readFile(path.join(artifactsDir, 'clone.stdout.log'), 'utf8');
}

function repoDir(runId: string): string {
  return runPaths(stack.config.workspaceRoot, runId).repoDir;
}

function mirrorOf(repo: string): string {
  return path.join(cacheDir, `${cloneCacheKey(repo)}.git`);
}

/** A new commit on the remote's main, made the way a person would: clone, commit, push. */
async function commitTo(remote: string, file: string, content: string | Buffer): Promise<string> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'speckit-work-'));
  await git(work, 'clone', '-q', remote, '.');
  await writeFile(path.join(work, file), content);
  await git(work, 'add', file);
  await git(work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', `add ${file}`);
  await git(work, 'push', '-q', 'origin', 'HEAD:main');
  await rm(work, { recursive: true, force: true });
  return (await git(remote, 'rev-parse', 'main')).trim();
}

/** KiB of every mirror in the cache, as the eviction counts them. */
async function mirrorsKb(): Promise<number> {
  const mirrors = (await readdir(cacheDir)).filter((f) => f.endsWith('.git'));
  if (mirrors.length === 0) return 0;
  const { stdout } = await exec('du', ['-sk', ...mirrors.map((m) => path.join(cacheDir, m))]);
  return stdout
    .trim()
    .split('\n')
    .reduce((kb, line) => kb + Number(line.split('\t')[0]), 0);
}

describe('clone cache', () => {
  it('a repeat clone starts from the mirror, and the workspace does not depend on it', async () => {
    const remote = await makeSampleRepo();
    const first = await run(remote);
    expect(first.clone.cache).toBe('miss');
    const second = await run(remote);
    expect(second.clone.cache).toBe('hit');
    expect(await cloneLog(second.runId)).toContain(`clone cache: hit (${cloneCacheKey(remote)})`);

    const repo = repoDir(second.runId);
    expect(existsSync(path.join(repo, '.git/objects/info/alternates'))).toBe(false);
    expect((await git(repo, 'remote', 'get-url', 'origin')).trim()).toBe(pathToFileURL(remote).href);
    expect((await git(repo, 'rev-parse', 'origin/main')).trim()).toBe(
      (await git(remote, 'rev-parse', 'main')).trim(),
    );
    // Whatever happens to the mirror afterwards, the run's repository is whole.
    await rm(mirrorOf(remote), { recursive: true });
    await git(repo, 'fsck', '--full', '--no-dangling');
    expect((await git(repo, 'log', '--format=%H')).trim().split('\n').length).toBeGreaterThan(0);
  });

  it('a commit pushed between two runs is in the second clone: the mirror is refreshed by fetch', async () => {
    const remote = await makeSampleRepo();
    const first = await run(remote);
    const added = await commitTo(remote, 'NEWS.md', 'tags are coming\n');
    expect(added).not.toBe(first.clone.baseCommit);

    const second = await run(remote);
    expect(second.clone).toMatchObject({ cache: 'hit', baseCommit: added });
    expect((await git(repoDir(second.runId), 'rev-parse', 'origin/main~1')).trim()).toBe(
      first.clone.baseCommit,
    );
    expect(await readFile(path.join(repoDir(second.runId), 'NEWS.md'), 'utf8')).toBe('tags are coming\n');
    expect((await git(mirrorOf(remote), 'rev-parse', 'main')).trim()).toBe(added);
  });

  it('concurrent runs on one repository with a cold cache both succeed, one creating the mirror', async () => {
    const remote = await makeSampleRepo();
    const runs = await Promise.all([run(remote), run(remote)]);
    expect(runs.map((r) => r.clone.cache).sort()).toEqual(['hit', 'miss']);
    const main = (await git(remote, 'rev-parse', 'main')).trim();
    for (const r of runs) {
      expect(r.clone.baseCommit).toBe(main);
      expect((await git(repoDir(r.runId), 'rev-parse', 'origin/main')).trim()).toBe(main);
    }
    expect(existsSync(`${mirrorOf(remote).slice(0, -4)}.tmp`)).toBe(false);
  });

  it('keeps the cache under its bound, least recently used first, never evicting a mirror in use', async () => {
    const padded = async () => {
      const remote = await makeSampleRepo();
      await commitTo(remote, 'blob.bin', randomBytes(PADDING_KB * 1024));
      return remote;
    };
    const [a, b, c] = await Promise.all([padded(), padded(), padded()]);
    const limitKb = MAX_MB * 1024;

    await run(a as string);
    // Another run cloning from a's mirror holds its lock shared, as the clone step does.
    const holder = await holdLock(a as string);

    await run(b as string);
    expect(existsSync(mirrorOf(a as string))).toBe(true);
    expect(await mirrorsKb()).toBeLessThanOrEqual(limitKb);
    const third = await run(c as string);
    // a is the least recently used, but in use: b goes instead.
    expect(existsSync(mirrorOf(a as string))).toBe(true);
    expect(existsSync(mirrorOf(b as string))).toBe(false);
    expect(existsSync(mirrorOf(c as string))).toBe(true);
    expect(await mirrorsKb()).toBeLessThanOrEqual(limitKb);
    expect(await cloneLog(third.runId)).toContain(`evicted ${cloneCacheKey(b as string)}`);

    await release(holder);
    const again = await run(b as string);
    expect(again.clone.cache).toBe('miss');
    expect(existsSync(mirrorOf(a as string))).toBe(false);
    expect(existsSync(mirrorOf(c as string))).toBe(true);
    expect(await mirrorsKb()).toBeLessThanOrEqual(limitKb);
  });

  it('never stores the token of an authenticated remote', async () => {
    const bare = path.join(httpRoot, 'acme', 'secret.git');
    await mkdir(path.dirname(bare), { recursive: true });
    await exec('mv', [await makeSampleRepo(), bare]);
    const url = gitServer.url('acme/secret.git');

    expect((await run(url)).clone.cache).toBe('miss');
    await commitTo(bare, 'NEWS.md', 'fetched with the token\n');
    expect((await run(url)).clone.cache).toBe('hit');

    const mirror = mirrorOf(url);
    const stored = await Promise.all(
      (await readdir(mirror, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => readFile(path.join(e.parentPath, e.name))),
    );
    expect(stored.filter((content) => content.includes(TOKEN))).toEqual([]);
    expect(await readFile(path.join(mirror, 'config'), 'utf8')).not.toMatch(/x-access-token|@127\.0\.0\.1/);
    expect(existsSync(path.join(mirror, 'FETCH_HEAD'))).toBe(false);
    const config = await git(mirror, 'config', '--list');
    expect(config).not.toContain(TOKEN);
    expect(config).not.toMatch(/^remote\./m);
    expect(config).toContain(`speckit.repo=${url}`);
  });
});
