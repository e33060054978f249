import { WorkflowNotFoundError } from '@temporalio/client';
import type { Config } from '../config.js';
import { findRun } from '../db/run-queries.js';
import { CliError } from './cli-error.js';
import { noSuchRun, withDatabase } from './database.js';
import { connectTemporal, describeRun, pollingWorkers, temporalStatus } from './temporal.js';
import { watchRun } from './watch-run.js';
import { startWorkerHint } from './worker-hints.js';

/** What `cancel` does. */
export async function cancelRun(config: Config, runId: string): Promise<void> {
  // Temporal accepts a cancellation of a run that has closed: the database knows it has finished.
  const run = await withDatabase(config.databaseUrl, (pool) => findRun(pool, runId));
  if (run?.finishedAt) throw new CliError(`run ${runId} already finished (${run.status}): nothing to cancel`);
  const client = await connectTemporal(config);
  try {
    const execution = await describeRun(client, runId);
    if (!execution) throw noSuchRun(runId);
    if (execution.status !== 'RUNNING') {
      throw new CliError(`run ${runId} already finished (${temporalStatus(execution)}): nothing to cancel`);
    }
    // A queued run whose cancellation was requested already: Temporal has the request.
    if (!(execution.queued && execution.cancelRequested)) {
      await client.cancel(runId).catch((err) => {
        throw err instanceof WorkflowNotFoundError ? noSuchRun(runId) : err;
      });
    }
    if (execution.queued) {
      // Nothing has run: no container, no workspace, no record. Waiting for the workflow to close
      // could take as long as no worker comes, so this says what happens instead.
      const workers = await pollingWorkers(client, execution.taskQueue).catch(() => undefined);
      console.log(
        [
          `run ${runId}: cancellation requested${execution.cancelRequested ? ' (already)' : ''}`,
          '  It is queued: no worker has picked it up, so nothing has run. Temporal keeps the request, and',
          '  the run closes as cancelled, without running any step, as soon as a worker picks it up.',
          workers === 0 &&
            `  No worker polls task queue ${execution.taskQueue} now; ${startWorkerHint(execution.taskQueue)}`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
      return;
    }
    console.log(`cancelling run ${runId}...`);
    const { status } = await watchRun(client, runId, execution.taskQueue);
    if (status !== 'cancelled') {
      throw new CliError(`run ${runId}: ${status} (it finished before the cancellation took effect)`);
    }
    console.log(`run ${runId}: cancelled`);
  } finally {
    await client.close();
  }
}
