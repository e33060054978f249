import { Command, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../config.js';
import { RUN_STATUSES } from '../run/status.js';
import type { ListOptions } from './print-runs.js';

export function listCommand(getConfig: () => Config): Command {
  return new Command('list')
    .description(
      'list recent runs, newest first: those the database records, and those of SPECKIT_TASK_QUEUE no worker has recorded yet (queued)',
    )
    .option('--repo <repo>', 'only runs of this repository (as given to run)')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(RUN_STATUSES))
    .option('--limit <n>', 'at most this many runs', positiveInteger, 20)
    .option('--json', 'print a JSON array of runs')
    .action(async (opts: ListOptions) => {
      const { printRuns } = await import('./print-runs.js');
      await printRuns(getConfig(), opts);
    });
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
