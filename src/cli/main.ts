#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { CliError } from './cli-error.js';
import { EXIT } from './exit-codes.js';

type Load = () => Promise<Command[]>;

let loaded: Config | undefined;
/** The configuration, read from the environment when a command first needs it: never for help. */
const getConfig = () => {
  loaded ??= loadConfig(process.env);
  return loaded;
};

/**
 * Each command's module, loaded only when needed: every module is part of what a CLI start costs,
 * and `run` needs none of the others'. The full help and anything that is not a command name load
 * them all, in this order; they hold only options and help, and load what a command does (and the
 * packages it needs: pg, Temporal's client and worker, Docker) when it runs.
 */
const COMMANDS: [string[], Load][] = [
  [['worker'], async () => [(await import('./worker-command.js')).workerCommand(getConfig, process.env)]],
  [['run'], async () => [(await import('./run-command.js')).runCommand(getConfig)]],
  [['status'], async () => [(await import('./status-command.js')).statusCommand(getConfig)]],
  [['list'], async () => [(await import('./list-command.js')).listCommand(getConfig)]],
  [['logs'], async () => [(await import('./logs-command.js')).logsCommand(getConfig)]],
  [['artifacts'], async () => [(await import('./artifacts-command.js')).artifactsCommand(getConfig)]],
  [['cancel'], async () => [(await import('./cancel-command.js')).cancelCommand(getConfig)]],
  [
    ['answer', 'approve', 'reject'],
    async () => {
      const { answerCommand, approveCommand, rejectCommand } = await import('./operator-commands.js');
      return [answerCommand(getConfig), approveCommand(getConfig), rejectCommand(getConfig)];
    },
  ],
];

/** The commands `argv` can need: the one it names first, else all (help, a typo, an option). */
async function commandsFor(argv: string[]): Promise<Command[]> {
  const named = COMMANDS.find(([names]) => names.includes(argv[0] ?? ''));
  if (named) return (await named[1]()).filter((c) => c.name() === argv[0]);
  return (await Promise.all(COMMANDS.map(([, load]) => load()))).flat();
}

const program = new Command('speckit-automation')
  .description('Run GitHub Spec Kit unattended as durable Temporal workflows')
  .showHelpAfterError();
for (const command of await commandsFor(process.argv.slice(2))) {
  program.addCommand(command.exitOverride());
}

try {
  await program.exitOverride().parseAsync();
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander reports every usage error as 1; bad input has its own exit code here.
    process.exitCode = err.exitCode === 1 ? EXIT.invalidInput : err.exitCode;
  } else {
    const known =
      err instanceof CliError
        ? err
        : err instanceof ConfigError
          ? new CliError(err.message, EXIT.invalidInput)
          : await unreachable(err);
    if (!known) throw err;
    console.error(`error: ${known.message}`);
    // Exit now: what failed may have left handles open (a gRPC channel still retrying, the worker's
    // Temporal runtime) that would keep the process alive without a word.
    process.exit(known.exitCode);
  }
}

/**
 * A dependency that went away in the middle of a command: one line saying which, and what to do.
 * Its helpers are loaded here, on this path only: they import the Temporal client and pg.
 */
async function unreachable(err: unknown): Promise<CliError | undefined> {
  const { isTemporalUnavailable, temporalUnreachable } = await import('./temporal.js');
  if (isTemporalUnavailable(err)) return temporalUnreachable(getConfig().temporal.address);
  // The worker's own check of the Docker daemon says what to do (src/containers/errors.ts).
  if (err instanceof Error && err.name === 'DockerUnavailableError') return new CliError(err.message);
  const { databaseUnreachable } = await import('./database.js');
  return databaseUnreachable(err, getConfig().databaseUrl);
}
