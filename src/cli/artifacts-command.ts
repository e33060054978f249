import type { Command } from 'commander';
import type { Config } from '../config.js';
import { runIdCommand } from './run-id-command.js';

export function artifactsCommand(getConfig: () => Config): Command {
  return runIdCommand(
    'artifacts',
    "list a run's artifacts: indexed ones with checksum and expiry, else what its directory holds",
  )
    .option('--json', 'print one JSON object: the directory, whether it is indexed, the artifacts')
    .action(async (runId: string, opts: { json?: boolean }) => {
      const { printArtifacts } = await import('./print-artifacts.js');
      await printArtifacts(getConfig(), runId, opts.json);
    });
}
