import { mkdir } from 'node:fs/promises';
import type Docker from 'dockerode';
import type { Config } from '../config.js';
import { runDirBind } from '../containers/workspace-mounts.js';
import { cloneCacheBind, cloneCacheKey, sanitizedRepo, usesCloneCache } from '../git/clone-cache.js';
import { handToJobUser, runPaths } from '../workspace.js';

export interface CloneCacheDeps {
  config: Pick<Config, 'cloneCache' | 'jobUser' | 'workspaceRoot' | 'workspaceVolume'>;
  docker: Docker;
}

/**
 * What the clone container needs to use the clone cache (git/clone-cache): the cache directory
 * mounted read-write, and which mirror is this repository's. Nothing when the cache is off or the
 * repository is a path on this host.
 */
export async function cloneCacheMount(
  deps: CloneCacheDeps,
  runId: string,
  repo: string,
): Promise<{ env: Record<string, string>; binds: string[] }> {
  const cache = deps.config.cloneCache;
  if (!cache || !usesCloneCache(repo)) return { env: {}, binds: [] };
  // Created here, not by Docker (which would make a missing bind source root's): the job user
  // creates, fetches and evicts mirrors in it.
  await mkdir(cache.dir, { recursive: true });
  await handToJobUser(cache.dir, deps.config.jobUser);
  const { runDir } = runPaths(deps.config.workspaceRoot, runId);
  const runBind = await runDirBind(deps.docker, deps.config, runId);
  return {
    env: {
      SPECKIT_CLONE_CACHE: cache.dir,
      SPECKIT_CLONE_CACHE_KEY: cloneCacheKey(repo),
      SPECKIT_CLONE_CACHE_REPO: sanitizedRepo(repo),
      SPECKIT_CLONE_CACHE_MAX_MB: String(cache.maxMb),
    },
    binds: [cloneCacheBind(cache.dir, runBind, runDir, deps.config.workspaceRoot)],
  };
}
