#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { artifactsCommand } from './artifacts-command.js';
import { cancelCommand } from './cancel-command.js';
import { CliError } from './cli-error.js';
import { databaseUnreachable } from './database.js';
import { listCommand } from './list-command.js';
import { logsCommand } from './logs-command.js';
import { answerCommand, approveCommand, rejectCommand } from './operator-commands.js';
import { EXIT, runCommand } from './run-command.js';
import { statusCommand } from './status-command.js';
import { isTemporalUnavailable, temporalUnreachable } from './temporal.js';
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
  answerCommand(),
  approveCommand(),
  rejectCommand(),
]) {
  program.addCommand(command.exitOverride());
}

try {
  await program.exitOverride().parseAsync();
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander reports every usage error as 1; bad input has its own exit code here.
    process.exitCode = err.exitCode === 1 ? EXIT.invalidInput : err.exitCode;
  } else {
    const known = err instanceof CliError ? err : unreachable(err);
    if (!known) throw err;
    console.error(`error: ${known.message}`);
    // Exit now: what failed may have left handles open (a gRPC channel still retrying, the worker's
    // Temporal runtime) that would keep the process alive without a word.
    process.exit(known.exitCode);
  }
}

/** A dependency that went away in the middle of a command: one line saying which, and what to do. */
function unreachable(err: unknown): CliError | undefined {
  if (isTemporalUnavailable(err)) return temporalUnreachable();
  // The worker's own check of the Docker daemon says what to do (src/containers/errors.ts).
  if (err instanceof Error && err.name === 'DockerUnavailableError') return new CliError(err.message);
  return databaseUnreachable(err);
}
