import { type Command, Option } from 'commander';
import type { Config } from '../config.js';
import { runIdCommand } from './run-id-command.js';

export function logsCommand(getConfig: () => Config): Command {
  return (
    runIdCommand('logs', "print a run's step logs (each step's stdout and stderr)")
      .option('--step <step>', 'only this step: clone, init, a Spec Kit phase, commit or push')
      // The flag's name before steps and phases had a word each; kept for scripts that use it.
      .addOption(new Option('--phase <step>', 'same as --step').hideHelp())
      .option('--follow', 'keep printing new output until the run finishes')
      .action(async (runId: string, opts: { step?: string; phase?: string; follow?: boolean }) => {
        const { printLogs } = await import('./print-logs.js');
        await printLogs(getConfig(), runId, { step: opts.step ?? opts.phase, follow: opts.follow });
      })
  );
}
