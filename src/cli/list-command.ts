import { Command, InvalidArgumentError, Option } from 'commander';
import { listRuns } from '../db/run-queries.js';
import type { RunStatus } from '../db/run-records.js';
import { withDatabase } from './database.js';
import { table, time } from './format.js';

const STATUSES: RunStatus[] = ['queued', 'in_progress', 'succeeded', 'no_changes', 'failed', 'cancelled'];

interface ListOptions {
  repo?: string;
  status?: RunStatus;
  limit: number;
  json?: boolean;
}

export function listCommand(): Command {
  return new Command('list')
    .description('list recent runs, newest first')
    .option('--repo <repo>', 'only runs of this repository (as given to run)')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(STATUSES))
    .option('--limit <n>', 'at most this many runs', positiveInteger, 20)
    .option('--json', 'print a JSON array of runs')
    .action(async (opts: ListOptions) => {
      const runs = await withDatabase((pool) => listRuns(pool, opts));
      if (opts.json) {
        console.log(JSON.stringify(runs));
      } else if (!runs.length) {
        console.log('no runs');
      } else {
        const rows = runs.map((r) => [r.runId, r.status, time(r.createdAt), r.repo, r.featureBranch ?? '']);
        console.log(table([['RUN', 'STATUS', 'STARTED', 'REPO', 'BRANCH'], ...rows]));
      }
    });
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
