#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { EXIT, runCommand } from './run-command.js';
import { workerCommand } from './worker-command.js';

const program = new Command('speckit-automation')
  .description('Run GitHub Spec Kit unattended as durable Temporal workflows')
  .showHelpAfterError();
for (const command of [workerCommand(), runCommand()]) program.addCommand(command.exitOverride());

try {
  await program.exitOverride().parseAsync();
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // Commander reports every usage error as 1; bad input has its own exit code here.
  process.exitCode = err.exitCode === 1 ? EXIT.invalidInput : err.exitCode;
}
