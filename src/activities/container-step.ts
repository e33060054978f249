import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type Docker from 'dockerode';
import type { Config } from '../config.js';
import type { JobProgress, JobRunner } from '../containers/job-runner.js';
import { runDirBind } from '../containers/workspace-mounts.js';
import type { RunRecords } from '../db/run-records.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import type { Redactor } from '../redaction.js';
import type { StepOutcome } from '../run/summary.js';
import { runPaths } from '../workspace.js';
import { checkpointFile } from './checkpoints.js';
import { failure, fromJobError } from './failures.js';
import type { StallWatchdog } from './stall-watchdog.js';

export interface StepIdentity {
  runId: string;
  attempt: number;
}

export interface ContainerStep extends StepIdentity {
  step: string;
  cmd: string[];
  /** The run directory or the cloned repository inside it. */
  cwd: 'run' | 'repo';
  env?: Record<string, string>;
  binds?: string[];
  /** Stops the container as AgentStalled once it has been quiet too long. */
  watchdog?: StallWatchdog;
}

export interface ContainerStepResult<T> {
  outcome: StepOutcome;
  /** What the step wrote to $SPECKIT_RESULT_FILE, if anything. */
  output?: T;
  /** The end of its stderr, for error messages. */
  stderrTail: string;
  stdoutPath: string;
  startedAt: Date;
  imageId: string;
}

export interface ContainerStepDeps {
  config: Pick<Config, 'workspaceRoot' | 'workspaceVolume' | 'jobImage' | 'jobUser'>;
  docker: Docker;
  jobs: Pick<JobRunner, 'run'>;
  records: Pick<RunRecords, 'step'>;
  logger: Logger;
  metrics: Metrics;
  /** Masks the stderr tail the step's error messages quote. */
  redactor: Redactor;
}

/** runContainerStep with its dependencies bound: what the step activities are given. */
export type RunStep = <T>(s: ContainerStep) => Promise<ContainerStepResult<T>>;

export function stepRunner(deps: ContainerStepDeps): RunStep {
  return <T>(s: ContainerStep) => runContainerStep<T>(deps, s);
}

const CONTAINER_TTL_MS = 24 * 3600_000;
// SIGKILL and SIGTERM: the container was stopped from outside, by a timeout or by hand.
const STOPPED_EXIT_CODES = [137, 143];
const STDERR_TAIL_BYTES = 2048;

/** Runs one step in its job container, recording it, heartbeating and honouring cancellation. */
async function runContainerStep<T>(
  deps: ContainerStepDeps,
  s: ContainerStep,
): Promise<ContainerStepResult<T>> {
  const ctx = Context.current();
  const paths = runPaths(deps.config.workspaceRoot, s.runId);
  const resultFile = path.join(paths.artifactsDir, `${s.step}.result.json`);
  await rm(resultFile, { force: true });
  await deps.records.step({ runId: s.runId, step: s.step, attempt: s.attempt, status: 'running' });

  const log = deps.logger.child({ run_id: s.runId, step: s.step });
  const stop = new AbortController();
  const cancel = () => stop.abort(ctx.cancellationSignal.reason);
  ctx.cancellationSignal.addEventListener('abort', cancel, { once: true });
  let stalled = false;
  const onProgress = (progress: JobProgress) => {
    ctx.heartbeat(progress);
    void s.watchdog?.stalled(progress.outputBytes).then((quiet) => {
      if (quiet && !stalled) {
        stalled = true;
        stop.abort('stalled');
      }
    });
  };
  let job: Awaited<ReturnType<typeof deps.jobs.run>>;
  try {
    job = await deps.jobs.run(
      {
        runId: s.runId,
        step: s.step,
        attempt: s.attempt,
        image: deps.config.jobImage,
        cmd: s.cmd,
        workingDir: s.cwd === 'run' ? paths.runDir : paths.repoDir,
        env: {
          HOME: paths.homeDir,
          SPECKIT_RESULT_FILE: resultFile,
          SPECKIT_ARTIFACTS_DIR: paths.artifactsDir,
          SPECKIT_CHECKPOINT_FILE: checkpointFile(paths.runDir, s.step),
          ...s.env,
        },
        binds: [await runDirBind(deps.docker, deps.config, s.runId), ...(s.binds ?? [])],
        user: deps.config.jobUser,
        logDir: paths.artifactsDir,
        expiresAt: new Date(Date.now() + CONTAINER_TTL_MS),
      },
      onProgress,
      stop.signal,
    );
  } catch (err) {
    const cancelled = ctx.cancellationSignal.aborted;
    const status = cancelled ? 'cancelled' : 'failed';
    await deps.records.step({ runId: s.runId, step: s.step, attempt: s.attempt, status });
    throw cancelled ? ctx.cancellationSignal.reason : fromJobError(err);
  } finally {
    ctx.cancellationSignal.removeEventListener('abort', cancel);
  }

  const cancelled = ctx.cancellationSignal.aborted;
  const status = cancelled ? 'cancelled' : job.exitCode === 0 && !stalled ? 'succeeded' : 'failed';
  deps.metrics.timing('step.duration', job.durationMs, { step: s.step, status });
  deps.metrics.timing('container.start_latency', job.startLatencyMs, { step: s.step });
  log.info(
    { container_id: job.containerId, exit_code: job.exitCode, duration_ms: job.durationMs },
    `step ${status}`,
  );
  await deps.records.step({
    runId: s.runId,
    step: s.step,
    attempt: s.attempt,
    status,
    exitCode: job.exitCode,
    containerId: job.containerId,
    stdoutPath: job.stdoutPath,
    stderrPath: job.stderrPath,
    durationMs: job.durationMs,
  });
  if (cancelled) throw ctx.cancellationSignal.reason;
  const outcome = { exitCode: job.exitCode, durationMs: job.durationMs, containerId: job.containerId };
  if (stalled) {
    const quiet = Math.round((s.watchdog?.afterMs ?? 0) / 1000);
    throw failure(
      'AgentStalled',
      `step ${s.step} stopped: the agent printed nothing and changed no file for ${quiet}s ` +
        "(the model's endpoint may hang; raise timeouts.agentStallSeconds for slow models)",
      outcome,
    );
  }
  if (STOPPED_EXIT_CODES.includes(job.exitCode)) {
    // A retry would only find the same stopped container again.
    throw failure(
      'StepStopped',
      `step ${s.step} was stopped before it finished (exit ${job.exitCode}): it timed out ` +
        "(raise the run's timeouts) or its container was stopped from outside",
      outcome,
    );
  }

  return {
    outcome,
    output: job.exitCode === 0 ? await readJson<T>(resultFile) : undefined,
    // Already redacted on its way to the file; redacted again in case a secret straddles the cut.
    stderrTail: deps.redactor.redact(await tail(job.stderrPath, STDERR_TAIL_BYTES)),
    stdoutPath: job.stdoutPath,
    startedAt: job.startedAt,
    imageId: job.imageId,
  };
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function tail(file: string, bytes: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    return buffer.toString('utf8').trim();
  } finally {
    await handle.close();
  }
}
