// The worker's resident size while one phase prints 1 GB: a worker of its own (so the main
// worker's peak stays that of ordinary runs) whose job image is the loud variant
// (loud-output/Dockerfile). A first run without the loud phase warms it up; the growth is the peak
// sampled during the loud run minus the resident size just before it.
import path from 'node:path';
import { BENCH_ASSETS, JOB_IMAGE } from './paths.js';
import { check } from './proc.js';
import type { ProjectSide } from './project.js';
import type { SampleRepos } from './sample-repo.js';
import { BenchWorker, MemorySampler } from './worker.js';

/** One tag per size: the quick and the full bench keep theirs (a thin layer each) instead of rebuilding. */
const loudImage = (bytes: number) => `speckit-job:bench-loud-${bytes}`;

export interface LoudResult {
  bytes: number;
  growthKb: number;
  baselineKb: number;
  peakKb: number;
  /** The loud phase's duration inside its container. */
  phaseMs: number;
  runMs: number;
}

export async function measureLoudOutput(opts: {
  bytes: number;
  workRoot: string;
  repos: SampleRepos;
  project: ProjectSide;
}): Promise<LoudResult> {
  // Cached by Docker after the first build: seconds.
  await check('docker', [
    'build',
    '--quiet',
    '--build-arg',
    `BASE_IMAGE=${JOB_IMAGE}`,
    '--build-arg',
    `BENCH_LOUD_BYTES=${opts.bytes}`,
    '--tag',
    loudImage(opts.bytes),
    path.join(BENCH_ASSETS, 'loud-output'),
  ]);
  const worker = await BenchWorker.start({
    taskQueue: `speckit-bench-loud-${process.pid}`,
    workspaceRoot: path.join(opts.workRoot, 'workspaces-loud'),
    logFile: path.join(opts.workRoot, 'worker-loud.log'),
    env: { SPECKIT_JOB_IMAGE: loudImage(opts.bytes) },
  });
  try {
    // specify alone: the loud agent is quiet in that phase.
    await opts.project.run(await opts.repos.fresh('loud-warmup'), worker.taskQueue, ['--phases', 'specify']);
    const baselineKb = (await worker.memory()).rssKb;
    const sampler = new MemorySampler(worker);
    sampler.start();
    const run = await opts.project
      .run(await opts.repos.fresh('loud'), worker.taskQueue)
      .finally(() => sampler.stop());
    const peakKb = Math.max(sampler.peakRssKb, (await worker.memory()).rssKb);
    return {
      bytes: opts.bytes,
      baselineKb,
      peakKb,
      growthKb: peakKb - baselineKb,
      phaseMs: run.phases.find((p) => p.name === 'plan')?.durationMs ?? Number.NaN,
      runMs: run.ms,
    };
  } finally {
    await worker.stop();
  }
}
