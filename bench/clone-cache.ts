// A repeat clone of a large repository, with the clone cache and without: two workers of the
// bench, one with SPECKIT_CLONE_CACHE_DIR empty (README "Clone cache": off), one with a cache of
// its own, which a first run fills; its later runs' clone steps are the repeat clones. Compared: the
// clone step's duration inside its container (what a run pays, refreshing the mirror included).
// Measured only when the build knows that setting; n/a otherwise.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureLargeRepo } from './large-repo.js';
import { ROOT } from './paths.js';
import type { ProjectRun, ProjectSide } from './project.js';
import { BenchWorker } from './worker.js';

export interface CloneStep {
  stepMs: number;
  /** What the clone step says of itself in clone.result.json, when it says it. */
  cache?: string;
  cloneMs?: number;
}

export interface CloneResult {
  repo: string;
  /** One per round, each run just before its round's `cached`. */
  plain: CloneStep[];
  /** Repeat clones through the cache (a first run fills it). */
  cached: CloneStep[];
}

export async function cloneCacheSupported(): Promise<boolean> {
  const config = await readFile(path.join(ROOT, 'dist', 'config.js'), 'utf8').catch(() => '');
  return config.includes('SPECKIT_CLONE_CACHE_DIR');
}

/**
 * Rounds of a plain clone then a repeat clone through the cache, alternately: on this VM the time
 * to write a clone's 600 MB (pack copy and checkout) moves 4× from one minute to the next, and one
 * of each left the ratio to chance.
 */
export async function measureClone(opts: {
  workRoot: string;
  project: ProjectSide;
  rounds: number;
}): Promise<CloneResult> {
  // A file:// URL: git then moves packs as it would from a server, where a plain path would have
  // it hard-link the objects (no transfer at all).
  const repo = `file://${await ensureLargeRepo()}`;
  // Nothing pushed, and only the first phase: the clone is what is measured.
  const args = ['--phases', 'specify', '--publish', 'none'];
  const withWorker = async <T>(name: string, cacheDir: string, fn: (queue: string) => Promise<T>) => {
    const worker = await BenchWorker.start({
      taskQueue: `speckit-bench-${name}-${process.pid}`,
      workspaceRoot: path.join(opts.workRoot, `workspaces-${name}`),
      logFile: path.join(opts.workRoot, `worker-${name}.log`),
      env: { SPECKIT_CLONE_CACHE_DIR: cacheDir },
    });
    try {
      return await fn(worker.taskQueue);
    } finally {
      await worker.stop();
    }
  };
  const clone = async (queue: string) => cloneStep(await opts.project.run(repo, queue, args));
  return withWorker('clone-plain', '', (plainQueue) =>
    withWorker('clone-cached', path.join(opts.workRoot, 'clone-cache'), async (cachedQueue) => {
      await clone(cachedQueue);
      const result: CloneResult = { repo, plain: [], cached: [] };
      for (let round = 0; round < opts.rounds; round++) {
        result.plain.push(await clone(plainQueue));
        result.cached.push(await clone(cachedQueue));
      }
      return result;
    }),
  );
}

async function cloneStep(run: ProjectRun): Promise<CloneStep> {
  const stepMs = run.phases.find((p) => p.name === 'clone')?.durationMs ?? Number.NaN;
  const said = await readFile(path.join(run.artifactsDir, 'clone.result.json'), 'utf8').then(
    (text) => JSON.parse(text) as { cache?: string; cloneMs?: number },
    () => ({}) as { cache?: string; cloneMs?: number },
  );
  return { stepMs, cache: said.cache, cloneMs: said.cloneMs };
}
