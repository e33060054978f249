import type pg from 'pg';
import type { SpecKitClient } from '../client.js';
import type { Config } from '../config.js';
import { findRun, listRuns, type RunRow } from '../db/run-queries.js';
import { parseRunInput, type RunInputRaw } from '../run/input.js';
import type { RunStatus } from '../run/status.js';
import { withDatabase } from './database.js';
import { table, time } from './format.js';
import {
  connectTemporal,
  describeRun,
  isTemporalUnavailable,
  type RunExecution,
  runningRuns,
} from './temporal.js';

/** Runs a worker has not recorded yet are running ones: queued, or starting (in_progress). */
const UNRECORDED_STATUSES: (RunStatus | undefined)[] = [undefined, 'queued', 'in_progress'];
/** Running runs of the task queue looked at for ones the database does not know. */
const UNRECORDED_SCAN = 100;

export interface ListOptions {
  repo?: string;
  status?: RunStatus;
  limit: number;
  json?: boolean;
}

/** A run only Temporal knows about, in the shape of the database's rows. */
type UnrecordedRow = Omit<RunRow, 'artifactsDir' | 'agentBackend' | 'publishMode'> & {
  artifactsDir: string | null;
  agentBackend: string | null;
  publishMode: string | null;
  taskQueue: string;
  recorded: false;
};

/** What `list` does. */
export async function printRuns(config: Config, opts: ListOptions): Promise<void> {
  const runs = await withDatabase(config.databaseUrl, async (pool) => {
    const recorded: (RunRow | UnrecordedRow)[] = await listRuns(pool, opts);
    const unrecorded = UNRECORDED_STATUSES.includes(opts.status)
      ? await unrecordedRuns(config, pool, opts)
      : [];
    return [...recorded, ...unrecorded]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, opts.limit);
  });
  if (opts.json) {
    console.log(JSON.stringify(runs));
  } else if (!runs.length) {
    console.log('no runs');
  } else {
    const rows = runs.map((r) => [r.runId, r.status, time(r.createdAt), r.repo, r.featureBranch ?? '']);
    console.log(table([['RUN', 'STATUS', 'STARTED', 'REPO', 'BRANCH'], ...rows]));
  }
}

/**
 * The running runs of the task queue that the database does not know: a worker records a run as it
 * prepares it, so until one picks it up only Temporal knows it. Without Temporal, says so and lists
 * what the database has.
 */
async function unrecordedRuns(config: Config, pool: pg.Pool, opts: ListOptions): Promise<UnrecordedRow[]> {
  const { taskQueue } = config.temporal;
  let client: SpecKitClient;
  try {
    client = await connectTemporal(config);
  } catch (err) {
    console.error(`warning: ${(err as Error).message}; runs no worker has recorded yet are not listed`);
    return [];
  }
  try {
    const rows: UnrecordedRow[] = [];
    for (const { runId } of await runningRuns(client, taskQueue, UNRECORDED_SCAN)) {
      if (await findRun(pool, runId)) continue;
      const execution = await describeRun(client, runId).catch((err) => {
        if (isTemporalUnavailable(err)) throw err;
        return undefined;
      });
      if (execution?.status !== 'RUNNING') continue;
      const row = unrecordedRow(execution);
      if ((opts.repo && row.repo !== opts.repo) || (opts.status && row.status !== opts.status)) continue;
      rows.push(row);
    }
    return rows;
  } catch (err) {
    const why = isTemporalUnavailable(err) ? 'is unreachable' : `did not answer (${(err as Error).message})`;
    console.error(`warning: Temporal ${why}; runs no worker has recorded yet are not listed`);
    return [];
  } finally {
    await client.close();
  }
}

function unrecordedRow(e: RunExecution): UnrecordedRow {
  const input = withDefaults(e.input);
  return {
    runId: e.runId,
    workflowId: e.runId,
    repo: input?.repo ?? '',
    baseBranch: input?.baseBranch ?? '',
    featureBranch: null,
    constitution: null,
    status: e.queued ? 'queued' : 'in_progress',
    agentBackend: input?.agent?.backend ?? null,
    phases: input?.phases ?? [],
    publishMode: input?.publish?.mode ?? null,
    commit: null,
    artifactsDir: null,
    error: null,
    reason: null,
    workerHost: null,
    createdAt: e.startTime,
    finishedAt: null,
    expiredAt: null,
    taskQueue: e.taskQueue,
    recorded: false,
  };
}

/** The input with the defaults the workflow applies; as given when it does not parse (it would fail). */
function withDefaults(raw: RunInputRaw | undefined): RunInputRaw | undefined {
  try {
    return raw && parseRunInput(raw);
  } catch {
    return raw;
  }
}
