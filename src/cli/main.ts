#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { artifactsCommand } from './artifacts-command.js';
import { cancelCommand } from './cancel-command.js';
import { CliError } from './cli-error.js';
import { listCommand } from './list-command.js';
import { logsCommand } from './logs-command.js';
import { EXIT, runCommand } from './run-command.js';
import { statusCommand } from './status-command.js';
import { workerCommand } from './worker-command.js';

const program = new Command('speckit-automation')
  .description('Run GitHub Spec Kit unattended as durable Temporal workflows')
  .showHelpAfterError();
for (const command of [
  workerCommand(),
  runCommand(),
  statusCommand(),
  listCommand(),
  logsCommand(),
  artifactsCommand(),
  cancelCommand(),
]) {
  program.addCommand(command.exitOverride());
}

try {
  await program.exitOverride().parseAsync();
} catch (err) {
  if (err instanceof CliError) {
    console.error(`error: ${err.message}`);
    process.exitCode = err.exitCode;
  } else if (!(err instanceof CommanderError)) {
    throw err;
  } else {
    // Commander reports every usage error as 1; bad input has its own exit code here.
    process.exitCode = err.exitCode === 1 ? EXIT.invalidInput : err.exitCode;
  }
}
