import { Command } from 'commander';
import type { Config } from '../config.js';
import { CliError } from './cli-error.js';

/** `env`: where the worker reads its secrets from, once, as it starts. */
export function workerCommand(getConfig: () => Config, env: NodeJS.ProcessEnv): Command {
  return new Command('worker').description('start a worker; stops on SIGINT or SIGTERM').action(async () => {
    // Loaded here, not at the top: Temporal's worker runtime is most of what a CLI start costs,
    // and the full help builds this command too.
    const [{ createWorker }, { createLogger, installSdkLogging }, { Redactor }, { readWorkerSecrets }] =
      await Promise.all([
        import('../worker.js'),
        import('../logging.js'),
        import('../redaction.js'),
        import('../secrets.js'),
      ]);
    const config = getConfig();
    const secrets = readWorkerSecrets(env);
    const redactor = Redactor.fromEnv(env, secrets);
    const logger = createLogger(config.logLevel, process.stderr, redactor);
    installSdkLogging(logger);
    const worker = await createWorker(config, secrets, logger, redactor).catch(async (err) => {
      throw (await unreachableDependency(err, config)) ?? err;
    });
    const { taskQueue, hostTaskQueue, address } = config.temporal;
    logger.info({ taskQueue, hostTaskQueue, address }, 'worker started');
    try {
      await worker.run();
    } finally {
      await worker.close();
    }
  });
}

/**
 * The worker could not start: when that is because Docker, PostgreSQL or Temporal cannot be
 * reached, the one line that says which and what to do. Each is asked directly, in the order the
 * worker needs them, rather than guessed from the error.
 */
async function unreachableDependency(err: unknown, config: Config): Promise<CliError | undefined> {
  // Its message says what to do (src/containers/errors.ts).
  if (err instanceof Error && err.name === 'DockerUnavailableError') return new CliError(err.message);
  const [{ default: pg }, { databaseUnreachable }, { connectTemporal }] = await Promise.all([
    import('pg'),
    import('./database.js'),
    import('./temporal.js'),
  ]);
  const db = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await db.connect();
  } catch (dbErr) {
    const unreachable = databaseUnreachable(dbErr, config.databaseUrl);
    if (unreachable) return unreachable;
  } finally {
    await db.end().catch(() => undefined);
  }
  try {
    await (await connectTemporal(config)).close();
  } catch (temporalErr) {
    if (temporalErr instanceof CliError) return temporalErr;
  }
  return undefined;
}
