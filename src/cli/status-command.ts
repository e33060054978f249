import type { Command } from 'commander';
import type { Config } from '../config.js';
import { runIdCommand } from './run-id-command.js';

export function statusCommand(getConfig: () => Config): Command {
  return runIdCommand(
    'status',
    'show a run and its steps as the database records them; a run no worker has recorded yet (queued) as Temporal knows it',
  )
    .option('--json', 'print one JSON object: the run and its phases')
    .action(async (runId: string, opts: { json?: boolean }) => {
      const { showStatus } = await import('./show-status.js');
      await showStatus(getConfig(), runId, opts.json);
    });
}
