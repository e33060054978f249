import type { Command } from 'commander';
import type { Config } from '../config.js';
import { runIdCommand } from './run-id-command.js';

export function cancelCommand(getConfig: () => Config): Command {
  return runIdCommand(
    'cancel',
    'cancel a run, wait until it has cleaned up, and print its final status; a queued run is cancelled at once',
  ).action(async (runId: string) => {
    const { cancelRun } = await import('./cancel-run.js');
    await cancelRun(getConfig(), runId);
  });
}
