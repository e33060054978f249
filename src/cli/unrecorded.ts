// Runs the database does not know yet: a worker records a run as it prepares it, so until one
// picks it up (queued) only Temporal knows it. The commands that read the database ask Temporal
// before they say there is no such run.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Config } from '../config.js';
import { findRun, type RunRow } from '../db/run-queries.js';
import { CliError } from './cli-error.js';
import { noSuchRun } from './database.js';
import { connectTemporal, describeRun, queryStatus, type RunExecution, temporalStatus } from './temporal.js';
import { WorkerWatch } from './worker-watch.js';

/** Says why a run the database does not know has no `what` (logs, artifacts), or that there is no such run. */
export async function explainUnrecorded(
  config: Config,
  runId: string,
  what: string,
  hint = '',
): Promise<never> {
  const client = await connectTemporal(config);
  try {
    throw unrecordedError(await describeRun(client, runId), runId, what, hint);
  } finally {
    await client.close();
  }
}

function unrecordedError(e: RunExecution | undefined, runId: string, what: string, hint: string): CliError {
  if (!e) return noSuchRun(runId);
  if (e.status !== 'RUNNING') {
    return new CliError(
      `run ${runId} ended (${temporalStatus(e)}) before a worker recorded it: it has no ${what}`,
    );
  }
  const why = e.queued ? 'is queued: no worker has picked it up yet' : 'is starting: no step has run yet';
  return new CliError(
    `run ${runId} ${why}, so it has no ${what} yet${hint}; see \`speckit-automation status ${runId}\``,
  );
}

/**
 * Waits until a worker records the run (logs --follow of a queued run), saying once that it waits
 * and, if no worker polls the run's task queue, that too. Fails if the run ends unrecorded.
 */
export async function awaitRecorded(config: Config, pool: pg.Pool, runId: string): Promise<RunRow> {
  const client = await connectTemporal(config);
  try {
    let execution = await describeRun(client, runId);
    if (execution?.status !== 'RUNNING') throw unrecordedError(execution, runId, 'logs', '');
    console.error(
      `run ${runId} ${execution.queued ? 'is queued' : 'is starting'}: waiting for a worker to run it...`,
    );
    const watch = new WorkerWatch(client, runId, execution.taskQueue);
    for (let round = 1; ; round++) {
      const run = await findRun(pool, runId);
      if (run) return run;
      if (await queryStatus(client, runId)) watch.answered();
      else await watch.unanswered();
      if (round % 5 === 0) {
        execution = await describeRun(client, runId);
        if (execution?.status !== 'RUNNING') {
          // It may have been recorded as it ended.
          const recorded = await findRun(pool, runId);
          if (recorded) return recorded;
          throw unrecordedError(execution, runId, 'logs', '');
        }
      }
      await sleep(1_000);
    }
  } finally {
    await client.close();
  }
}
