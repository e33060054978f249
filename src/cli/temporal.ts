// What the CLI asks Temporal itself: whether a run waits for a worker, which step activity is
// pending since when, and whether any worker polls a task queue. Every call is bounded, so a
// command never waits silently on a server or a worker that does not answer.
import {
  defaultPayloadConverter,
  isGrpcServiceError,
  ServiceError,
  type WorkflowExecutionStatusName,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time.js';
import { SpecKitClient } from '../client.js';
import type { Config } from '../config.js';
import { isPolling } from '../pollers.js';
import { WORKFLOW_TYPE } from '../run/identity.js';
import type { RunInputRaw } from '../run/input.js';
import { statusQuery } from '../run/messages.js';
import type { RunSummary } from '../run/summary.js';
import { CliError } from './cli-error.js';

/** A local server answers in milliseconds; a remote one within a few seconds. */
const CONNECT_TIMEOUT_MS = 5_000;
/** describe, history and task queue calls. */
const CALL_TIMEOUT_MS = 5_000;
/** More history than this before any completed workflow task: not a run waiting for its first worker. */
const QUEUED_HISTORY_EVENTS = 25;
const UNAVAILABLE = 14;

/** Connects to Temporal, or says in one line that it is unreachable and what to do. */
export async function connectTemporal(config: Config): Promise<SpecKitClient> {
  try {
    return await SpecKitClient.connect(config, { connectTimeoutMs: CONNECT_TIMEOUT_MS });
  } catch {
    throw temporalUnreachable(config.temporal.address);
  }
}

export function temporalUnreachable(address: string): CliError {
  return new CliError(
    `Temporal at ${address} is unreachable: start it (\`npm run stack:up\`) or set TEMPORAL_ADDRESS`,
  );
}

/** A call that failed because the server went away (the SDK gives up after its own retries). */
export function isTemporalUnavailable(err: unknown): boolean {
  if (isGrpcServiceError(err)) return err.code === UNAVAILABLE;
  return err instanceof ServiceError && isTemporalUnavailable(err.cause);
}

export interface PendingStep {
  /** The run's step the activity is for (an agent phase is `phase`: the summary says which). */
  step: string;
  activityType: string;
  state: 'scheduled' | 'started' | 'cancel requested' | 'paused';
  attempt: number;
  /** When the current attempt started, else when it was scheduled. */
  since: Date;
  lastFailure?: string;
}

/** A run as Temporal knows it, whether or not a worker has recorded it in the database. */
export interface RunExecution {
  runId: string;
  status: WorkflowExecutionStatusName;
  taskQueue: string;
  startTime: Date;
  closeTime?: Date;
  /** Running, and no worker has completed a workflow task of it: it waits for a worker. */
  queued: boolean;
  /** Whether a cancellation was requested (known for queued runs, whose history is read). */
  cancelRequested: boolean;
  /** The step activity scheduled or running now. */
  pending?: PendingStep;
  /** The run's input, read from its history (for queued runs). */
  input?: RunInputRaw;
}

const STEP_OF_ACTIVITY: Record<string, string> = {
  cloneRepo: 'clone',
  initSpecKit: 'init',
  runAgentPhase: 'phase',
  commitChanges: 'commit',
  pushBranch: 'push',
  openPullRequest: 'pull-request',
};
const FIXED_STEPS = Object.values(STEP_OF_ACTIVITY).filter((step) => step !== 'phase');

/** Whether Temporal's pending activity is the run's step `name` (every agent phase is runAgentPhase). */
export function isPendingStep(p: PendingStep | undefined, name: string): p is PendingStep {
  return p !== undefined && (p.step === name || (p.step === 'phase' && !FIXED_STEPS.includes(name)));
}

// temporal.api.enums.v1.PendingActivityState
const ACTIVITY_STATE: Record<number, PendingStep['state']> = {
  1: 'scheduled',
  2: 'started',
  3: 'cancel requested',
  4: 'paused',
  5: 'paused',
};

function bounded<T>(client: SpecKitClient, fn: () => Promise<T>, timeoutMs = CALL_TIMEOUT_MS): Promise<T> {
  return client.temporal.connection.withDeadline(Date.now() + timeoutMs, fn);
}

/** The run's execution, or undefined when Temporal has no workflow of that id. */
export async function describeRun(client: SpecKitClient, runId: string): Promise<RunExecution | undefined> {
  const handle = client.temporal.workflow.getHandle(runId);
  let d: Awaited<ReturnType<typeof handle.describe>>;
  try {
    d = await bounded(client, () => handle.describe());
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  const execution: RunExecution = {
    runId,
    status: d.status.name,
    taskQueue: d.taskQueue,
    startTime: d.startTime,
    closeTime: d.closeTime,
    queued: false,
    cancelRequested: false,
  };
  const activity = d.raw.pendingActivities?.find((a) => STEP_OF_ACTIVITY[a.activityType?.name ?? '']);
  if (activity) {
    const started = optionalTsToDate(activity.lastStartedTime);
    const scheduled = optionalTsToDate(activity.scheduledTime);
    const state = ACTIVITY_STATE[activity.state as number] ?? 'scheduled';
    execution.pending = {
      activityType: activity.activityType?.name ?? '',
      step: STEP_OF_ACTIVITY[activity.activityType?.name ?? ''] ?? '',
      state,
      attempt: activity.attempt ?? 1,
      since: (state === 'started' ? started : scheduled) ?? started ?? scheduled ?? d.startTime,
      lastFailure: activity.lastFailure?.message ?? undefined,
    };
  }
  if (d.status.name === 'RUNNING' && d.historyLength <= QUEUED_HISTORY_EVENTS) {
    const { history } = await bounded(client, () =>
      client.temporal.workflowService.getWorkflowExecutionHistory({
        namespace: client.temporal.options.namespace,
        execution: { workflowId: runId, runId: d.runId },
        maximumPageSize: QUEUED_HISTORY_EVENTS,
      }),
    );
    const events = history?.events ?? [];
    execution.queued =
      events.length >= d.historyLength && !events.some((e) => e.workflowTaskCompletedEventAttributes);
    execution.cancelRequested = events.some((e) => e.workflowExecutionCancelRequestedEventAttributes);
    const payload = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    if (payload) {
      try {
        execution.input = defaultPayloadConverter.fromPayload<RunInputRaw>(payload);
      } catch {
        // Not a run's input: leave it unknown.
      }
    }
  }
  return execution;
}

/** Why a closed run failed, as the workflow's failure says (its innermost cause). */
export async function runFailure(client: SpecKitClient, runId: string): Promise<string | undefined> {
  try {
    await bounded(client, () => client.temporal.workflow.getHandle(runId).result());
    return undefined;
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) return undefined;
    let e: Error | undefined = err;
    while (e?.cause instanceof Error) e = e.cause;
    return e?.message;
  }
}

/** How many workers poll the task queue for workflow tasks now. */
export async function pollingWorkers(client: SpecKitClient, taskQueue: string): Promise<number> {
  const { pollers } = await bounded(client, () =>
    client.temporal.workflowService.describeTaskQueue({
      namespace: client.temporal.options.namespace,
      taskQueue: { name: taskQueue },
    }),
  );
  return (pollers ?? []).filter((p) => isPolling(optionalTsToDate(p.lastAccessTime))).length;
}

/**
 * The run's `status` query, answered by a worker; undefined when none answers in time (a queued
 * run cannot be queried: Temporal rejects it at once, and a run whose worker is gone times out).
 */
export async function queryStatus(
  client: SpecKitClient,
  runId: string,
  timeoutMs = 3_000,
): Promise<RunSummary | undefined> {
  try {
    return await bounded(
      client,
      () => client.temporal.workflow.getHandle(runId).query(statusQuery),
      timeoutMs,
    );
  } catch (err) {
    if (isTemporalUnavailable(err)) throw err;
    return undefined;
  }
}

/** Running runs of the task queue that Temporal knows about, newest first (at most `limit`). */
export async function runningRuns(
  client: SpecKitClient,
  taskQueue: string,
  limit = 100,
): Promise<{ runId: string; startTime: Date }[]> {
  const query = `WorkflowType="${WORKFLOW_TYPE}" AND ExecutionStatus="Running" AND TaskQueue="${taskQueue.replaceAll('"', '\\"')}"`;
  const runs: { runId: string; startTime: Date }[] = [];
  await bounded(client, async () => {
    for await (const w of client.temporal.workflow.list({ query, pageSize: limit })) {
      runs.push({ runId: w.workflowId, startTime: w.startTime });
      if (runs.length >= limit) break;
    }
  });
  return runs;
}

/** How a run that the database does not know yet stands, in Temporal's words. */
export function temporalStatus(e: RunExecution): string {
  if (e.queued) return 'queued';
  const closed: Partial<Record<WorkflowExecutionStatusName, string>> = {
    COMPLETED: 'succeeded',
    FAILED: 'failed',
    CANCELLED: 'cancelled',
    TERMINATED: 'terminated',
    TIMED_OUT: 'timed_out',
  };
  return closed[e.status] ?? (e.status === 'RUNNING' ? 'in_progress' : e.status.toLowerCase());
}

/** Whether a promise has settled yet, for loops that poll while waiting on it. */
export function settled(promise: Promise<unknown>): { readonly done: boolean } {
  const state = { done: false };
  const mark = () => {
    state.done = true;
  };
  promise.then(mark, mark);
  return state;
}
