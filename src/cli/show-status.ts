import { constitutionAdvice } from '../agents/constitution.js';
import type { SpecKitClient } from '../client.js';
import type { Config } from '../config.js';
import { findRun, type RunRow, type StepRow, stepStates } from '../db/run-queries.js';
import type { RunStatus } from '../run/status.js';
import type { OperatorWait, RunSummary } from '../run/summary.js';
import { noSuchRun, withDatabase } from './database.js';
import { elapsed, seconds, table, time } from './format.js';
import { operatorWaitLines } from './operator-wait.js';
import {
  connectTemporal,
  describeRun,
  isPendingStep,
  pollingWorkers,
  queryStatus,
  type RunExecution,
  runFailure,
  temporalStatus,
} from './temporal.js';
import { startWorkerHint } from './worker-hints.js';

/** What Temporal adds to a run the database records as unfinished. */
interface Live {
  execution: RunExecution;
  workers?: number;
  /** What the run waits for, if it waits for an operator (from its status query). */
  waitingFor?: OperatorWait;
}

type StepJson = StepRow & { elapsedMs?: number };

/** What `status` does. */
export async function showStatus(config: Config, runId: string, json?: boolean): Promise<void> {
  const recorded = await withDatabase(config.databaseUrl, async (pool) => {
    const run = await findRun(pool, runId);
    return run && { run, steps: await stepStates(pool, runId) };
  });
  if (!recorded) {
    await unrecordedStatus(config, runId, json);
    return;
  }
  const { run } = recorded;
  const live = run.finishedAt ? undefined : await liveState(config, runId, run.status);
  const steps = withElapsed(recorded.steps, live?.execution);
  if (json) {
    console.log(
      JSON.stringify({
        ...run,
        steps,
        ...(live && { workersPolling: live.workers ?? null, waitingFor: live.waitingFor ?? null }),
      }),
    );
  } else {
    console.log(humanStatus(run, steps, live));
  }
}

/** Temporal's view of an unfinished run, if Temporal answers; the database's alone otherwise. */
async function liveState(config: Config, runId: string, status: RunStatus): Promise<Live | undefined> {
  let client: SpecKitClient;
  try {
    client = await connectTemporal(config);
  } catch {
    return undefined;
  }
  try {
    const execution = await describeRun(client, runId);
    if (!execution) return undefined;
    const running = execution.status === 'RUNNING';
    const workers = running
      ? await pollingWorkers(client, execution.taskQueue).catch(() => undefined)
      : undefined;
    const waits = running && (status === 'awaiting_clarification' || status === 'awaiting_approval');
    const waitingFor = waits ? (await queryStatus(client, runId))?.waitingFor : undefined;
    return { execution, workers, waitingFor };
  } catch {
    return undefined;
  } finally {
    await client.close();
  }
}

/**
 * How long each running step has been running: since Temporal's start of its activity (its
 * current attempt) when that is the step's, else since the database recorded it.
 */
function withElapsed(steps: StepRow[], execution: RunExecution | undefined): StepJson[] {
  const now = Date.now();
  const pending = execution?.pending;
  return steps.map((p) => {
    if (p.status !== 'running') return p;
    const since = isPendingStep(pending, p.step) ? pending.since : p.startedAt;
    return { ...p, elapsedMs: Math.max(0, now - since.getTime()) };
  });
}

function humanStatus(run: RunRow, steps: StepJson[], live: Live | undefined): string {
  const took = run.finishedAt ? ` (${seconds(run.finishedAt.getTime() - run.createdAt.getTime())})` : '';
  const execution = live?.execution;
  const pending = execution?.pending;
  const lines = [
    `run ${run.runId}: ${run.status}`,
    `  repo:      ${run.repo} (base ${run.baseBranch})`,
    `  agent:     ${run.agentBackend}, phases ${run.phases.join(', ')}, publish ${run.publishMode}`,
    run.featureBranch && `  branch:    ${run.featureBranch}`,
    run.commit && `  commit:    ${run.commit}`,
    `  started:   ${time(run.createdAt)}`,
    run.finishedAt && `  finished:  ${time(run.finishedAt)}${took}`,
    `  artifacts: ${run.artifactsDir}${run.expiredAt ? ` (removed by retention ${time(run.expiredAt)})` : ''}`,
    run.error && `  error:     ${run.error}`,
    run.reason && `  reason:    ${run.reason}`,
    run.constitution &&
      `  constitution: ${run.constitution}${run.constitution === 'filled' ? '' : ` (governance gap: ${constitutionAdvice(run.constitution)})`}`,
    ...(live?.waitingFor ? operatorWaitLines(run.runId, live.waitingFor) : []),
    pending &&
      pending.attempt > 1 &&
      `  retrying:  ${pending.activityType}, activity attempt ${pending.attempt}` +
        `${pending.state === 'scheduled' ? ' (waiting to retry)' : ''}` +
        `${pending.lastFailure ? `: last failure: ${pending.lastFailure.split('\n')[0]}` : ''}`,
    live?.workers === 0 &&
      execution &&
      `  worker:    none polls task queue ${execution.taskQueue}: the run is stalled until one does; ${startWorkerHint(execution.taskQueue)}`,
    execution &&
      execution.status !== 'RUNNING' &&
      `  temporal:  the workflow is ${execution.status}${execution.closeTime ? ` since ${time(execution.closeTime)}` : ''}, but its end was never recorded here`,
  ];
  if (steps.length) {
    const rows = steps.map((p) => [
      p.step,
      String(p.attempt),
      p.status,
      p.exitCode === null ? '' : String(p.exitCode),
      p.elapsedMs !== undefined ? `${elapsed(p.elapsedMs)} so far` : seconds(p.durationMs),
    ]);
    lines.push('', indent(table([['STEP', 'ATTEMPT', 'STATUS', 'EXIT', 'DURATION'], ...rows])));
  }
  return lines.filter((l) => typeof l === 'string').join('\n');
}

/**
 * A run the database does not know: queued (no worker has picked it up), starting (a worker has,
 * and has not recorded it yet), or closed before any worker recorded it. Temporal answers.
 */
async function unrecordedStatus(config: Config, runId: string, json?: boolean): Promise<void> {
  const client = await connectTemporal(config);
  try {
    const e = await describeRun(client, runId);
    if (!e) throw noSuchRun(runId);
    const running = e.status === 'RUNNING';
    const summary = running && !e.queued ? await queryStatus(client, runId) : undefined;
    const workers = running ? await pollingWorkers(client, e.taskQueue).catch(() => undefined) : undefined;
    const error = e.status === 'FAILED' ? await runFailure(client, runId) : undefined;
    const status = temporalStatus(e);
    if (json) {
      console.log(
        JSON.stringify({
          runId,
          workflowId: runId,
          status,
          recorded: false,
          repo: e.input?.repo ?? summary?.repo ?? null,
          baseBranch: e.input?.baseBranch ?? null,
          taskQueue: e.taskQueue,
          workersPolling: workers ?? null,
          cancelRequested: e.cancelRequested,
          error: error ?? null,
          createdAt: e.startTime,
          finishedAt: e.closeTime ?? null,
          steps: summary?.steps ?? [],
        }),
      );
      return;
    }
    console.log(humanUnrecorded(client, e, status, { summary, workers, error }));
  } finally {
    await client.close();
  }
}

function humanUnrecorded(
  client: SpecKitClient,
  e: RunExecution,
  status: string,
  more: { summary?: RunSummary; workers?: number; error?: string },
): string {
  const now = Date.now();
  const { summary, workers, error } = more;
  const waited = e.queued ? ` (queued for ${elapsed(now - e.startTime.getTime())})` : '';
  const lines = [
    `run ${e.runId}: ${status}`,
    e.input?.repo && `  repo:      ${e.input.repo} (base ${e.input.baseBranch ?? 'main'})`,
    `  started:   ${time(e.startTime)}${waited}`,
    e.closeTime && `  finished:  ${time(e.closeTime)}`,
    error && `  error:     ${error}`,
    e.queued &&
      workers === 0 &&
      `  worker:    none polls task queue ${e.taskQueue}: ${startWorkerHint(e.taskQueue)}`,
    e.queued &&
      workers !== undefined &&
      workers > 0 &&
      `  worker:    ${workers} poll(s) task queue ${e.taskQueue}; none has picked the run up yet`,
    e.queued &&
      e.cancelRequested &&
      '  cancel:    requested: the run ends as cancelled, without running a step, when a worker picks it up',
    !running(e) && `  (it ended before a worker recorded it in the runs database)`,
    running(e) && !e.queued && '  (a worker has it and has not recorded it in the runs database yet)',
    `  Temporal UI: ${client.uiUrl(e.runId)}`,
  ];
  if (summary?.steps.length) {
    const rows = summary.steps.map((p) => [p.name, p.status]);
    lines.push('', indent(table([['STEP', 'STATUS'], ...rows])));
  }
  return lines.filter((l) => typeof l === 'string').join('\n');
}

function running(e: RunExecution): boolean {
  return e.status === 'RUNNING';
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
