import { WorkflowNotFoundError } from '@temporalio/client';
import { Command } from 'commander';
import { SpecKitClient } from '../client.js';
import { loadConfig } from '../config.js';
import { findRun } from '../db/run-queries.js';
import { CliError } from './cli-error.js';
import { noSuchRun, withDatabase } from './database.js';

export function cancelCommand(): Command {
  return new Command('cancel')
    .description('cancel a run, wait until it has cleaned up, and print its final status')
    .argument('<runId>')
    .action(async (runId: string) => {
      // Temporal accepts a cancellation of a run that has closed: the database knows it has finished.
      const run = await withDatabase((pool) => findRun(pool, runId));
      if (run?.finishedAt)
        throw new CliError(`run ${runId} already finished (${run.status}): nothing to cancel`);
      const client = await SpecKitClient.connect(loadConfig());
      try {
        await client.cancel(runId).catch((err) => {
          throw err instanceof WorkflowNotFoundError ? noSuchRun(runId) : err;
        });
        console.log(`cancelling run ${runId}...`);
        const { status } = await client.result(runId);
        if (status !== 'cancelled') {
          throw new CliError(`run ${runId}: ${status} (it finished before the cancellation took effect)`);
        }
        console.log(`run ${runId}: cancelled`);
      } finally {
        await client.close();
      }
    });
}
