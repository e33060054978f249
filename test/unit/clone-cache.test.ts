// The clone cache's pure parts (key, sanitised address, bind mount, configuration) and its eviction,
// the bash of git/clone-cache run by the host's bash on a directory of stand-in mirrors.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import {
  CLONE_CACHE_FUNCTIONS,
  cloneCacheBind,
  cloneCacheKey,
  sanitizedRepo,
  usesCloneCache,
} from '../../src/git/clone-cache.js';

const exec = promisify(execFile);

describe('mirror key', () => {
  it('is the same for one repository however its address carries credentials', () => {
    const key = cloneCacheKey('https://github.com/acme/app.git');
    expect(key).toMatch(/^app-[0-9a-f]{20}$/);
    expect(cloneCacheKey('https://x-access-token:ghp_secret@github.com/acme/app.git')).toBe(key);
    expect(cloneCacheKey('https://github.com/acme/app.git/?token=1#x')).toBe(key);
    expect(cloneCacheKey('https://GitHub.com/acme/app.git')).toBe(key);
  });

  it('differs between repositories, also with one name', () => {
    const keys = [
      'https://github.com/acme/app.git',
      'https://github.com/other/app.git',
      'git@github.com:acme/app.git',
      '/srv/git/app.git',
    ].map(cloneCacheKey);
    expect(new Set(keys).size).toBe(4);
    expect(keys.every((k) => k.startsWith('app-'))).toBe(true);
  });

  it('is one for a local path however it is spelled, and a safe file name for any address', () => {
    expect(cloneCacheKey('file:///srv/git/app.git')).toBe(cloneCacheKey('/srv/git/app.git/'));
    expect(cloneCacheKey('https://host/we ird/$(rm -rf)')).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    expect(cloneCacheKey('/')).toMatch(/^[0-9a-f]{20}$/);
  });

  it('the address a mirror may record has no user, password, query or fragment', () => {
    expect(sanitizedRepo('https://user:ghp_secret@git.example.com:8443/a/b.git?t=ghp_secret#f')).toBe(
      'https://git.example.com:8443/a/b.git',
    );
    expect(sanitizedRepo('git@github.com:acme/app.git')).toBe('git@github.com:acme/app.git');
  });
});

describe('what is cached', () => {
  it('every remote, but not a path on this host, which git clones by copying its files anyway', () => {
    expect(usesCloneCache('https://github.com/acme/app.git')).toBe(true);
    expect(usesCloneCache('git@github.com:acme/app.git')).toBe(true);
    expect(usesCloneCache('file:///srv/git/app.git')).toBe(true);
    expect(usesCloneCache('/srv/git/app.git')).toBe(false);
  });
});

describe('cache mount', () => {
  const root = '/state/workspaces';
  const runDir = `${root}/runs/run-1`;

  it('is the directory at its own path when the workspaces are a host directory', () => {
    expect(cloneCacheBind('/cache', `${runDir}:${runDir}`, runDir, root)).toBe('/cache:/cache');
  });

  it('is the same subdirectory of the volume as of the workspace root in volume mode', () => {
    const mountpoint = '/var/lib/docker/volumes/ws/_data';
    expect(cloneCacheBind(`${root}/clone-cache`, `${mountpoint}/runs/run-1:${runDir}`, runDir, root)).toBe(
      `${mountpoint}/clone-cache:${root}/clone-cache`,
    );
  });
});

describe('cache configuration', () => {
  const base = { SPECKIT_WORKSPACE_ROOT: '/state/workspaces' };

  it('is on by default, on the workspace root, and off when empty', () => {
    expect(loadConfig(base).cloneCache).toEqual({ dir: '/state/workspaces/clone-cache', maxMb: 2048 });
    expect(loadConfig({ ...base, SPECKIT_CLONE_CACHE_DIR: '' }).cloneCache).toBeUndefined();
    expect(
      loadConfig({ ...base, SPECKIT_CLONE_CACHE_DIR: '/cache', SPECKIT_CLONE_CACHE_MAX_MB: '10' }).cloneCache,
    ).toEqual({ dir: '/cache', maxMb: 10 });
  });

  it('must be on the workspace volume in volume mode, and never among the runs', () => {
    const volume = { ...base, SPECKIT_WORKSPACE_VOLUME: 'speckit-workspaces' };
    expect(loadConfig(volume).cloneCache?.dir).toBe('/state/workspaces/clone-cache');
    expect(() => loadConfig({ ...volume, SPECKIT_CLONE_CACHE_DIR: '/cache' })).toThrow(
      /must be on the workspace volume/,
    );
    expect(() => loadConfig({ ...base, SPECKIT_CLONE_CACHE_DIR: '/state/workspaces/runs/x' })).toThrow(
      ConfigError,
    );
  });
});

describe('eviction', () => {
  const holders: ChildProcess[] = [];
  afterEach(() => {
    // Its own process group: flock's child (the sleep) holds the lock too.
    for (const h of holders.splice(0)) process.kill(-(h.pid as number), 'SIGTERM');
  });

  /** Stand-in mirrors of `kb` KiB each, last used in the order given (oldest first). */
  async function cacheWith(keys: string[], kb = 400): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'speckit-cache-'));
    const now = Date.now() / 1000;
    for (const [i, key] of keys.entries()) {
      const mirror = path.join(dir, `${key}.git`);
      await mkdir(mirror);
      await writeFile(path.join(mirror, 'pack'), Buffer.alloc(kb * 1024, 1));
      await writeFile(path.join(mirror, 'speckit-last-used'), '');
      const used = now - 3600 * (keys.length - i);
      await utimes(path.join(mirror, 'speckit-last-used'), used, used);
    }
    return dir;
  }

  /** Holds a mirror's lock shared, as a run cloning from it does, until the test ends. */
  async function inUse(dir: string, key: string): Promise<void> {
    const holder = spawn('flock', ['-s', path.join(dir, `${key}.lock`), '-c', 'echo locked; exec sleep 60'], {
      detached: true,
    });
    holders.push(holder);
    await new Promise((resolve) => holder.stdout?.once('data', resolve));
  }

  async function evict(dir: string, maxMb: number): Promise<{ left: string[]; stdout: string }> {
    const { stdout } = await exec(
      'bash',
      ['-c', `set -euo pipefail\n${CLONE_CACHE_FUNCTIONS}\ncache_evict`],
      {
        env: { ...process.env, SPECKIT_CLONE_CACHE: dir, SPECKIT_CLONE_CACHE_MAX_MB: String(maxMb) },
      },
    );
    const left = (await readdir(dir)).filter((f) => f.endsWith('.git')).map((f) => f.slice(0, -4));
    return { left: left.sort(), stdout };
  }

  it('removes the least recently used mirrors until the cache fits its bound', async () => {
    const dir = await cacheWith(['old', 'mid', 'new']);
    const { left, stdout } = await evict(dir, 1);
    expect(left).toEqual(['mid', 'new']);
    expect(stdout).toMatch(/evicted old \(\d+ KiB/);
    expect((await evict(dir, 1)).left).toEqual(['mid', 'new']);
  });

  it('never removes a mirror in use, taking the next least recently used instead', async () => {
    const dir = await cacheWith(['old', 'mid', 'new']);
    await inUse(dir, 'old');
    expect((await evict(dir, 1)).left).toEqual(['new', 'old']);
    // Only mirrors in use left above the bound: it stays above, nothing in use goes.
    await inUse(dir, 'new');
    expect((await evict(dir, 0)).left).toEqual(['new', 'old']);
  });

  it('removes what a killed run left behind, unless that run still holds the lock', async () => {
    const dir = await cacheWith(['a', 'b']);
    await mkdir(path.join(dir, 'a.tmp'));
    await mkdir(path.join(dir, 'b.evicted'));
    await mkdir(path.join(dir, 'c.tmp'));
    await inUse(dir, 'c');
    await evict(dir, 100);
    expect((await readdir(dir)).filter((f) => !f.endsWith('.lock')).sort()).toEqual([
      'a.git',
      'b.git',
      'c.tmp',
    ]);
  });
});
