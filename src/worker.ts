import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import Docker from 'dockerode';
import pg from 'pg';
import { createActivities } from './activities/index.js';
import type { Config } from './config.js';
import { JobImageMissingError } from './containers/errors.js';
import { JobRunner } from './containers/job-runner.js';
import { migrate } from './db/migrate.js';
import { RunRecords } from './db/run-records.js';
import type { Logger } from './logging.js';

// `.ts` under vitest, `.js` once built: the workflow bundle starts from the sibling index file.
const WORKFLOWS_PATH = fileURLToPath(
  new URL(`./workflows/index${import.meta.url.slice(-3)}`, import.meta.url),
);

export interface SpecKitWorker {
  worker: Worker;
  /** Releases the Temporal connection and the database pool once the worker has stopped. */
  close(): Promise<void>;
}

/** Checks its dependencies, migrates the database and builds a worker for the run task queue. */
export async function createWorker(config: Config, logger: Logger): Promise<SpecKitWorker> {
  const jobs = new JobRunner(new Docker(), { limits: config.jobLimits, network: config.jobNetwork });
  // An unreachable daemon stops the worker here; a missing image only fails the runs, which say how to fix it.
  await jobs.checkReady(config.jobImage).catch((err) => {
    if (!(err instanceof JobImageMissingError)) throw err;
    logger.warn(err.message);
  });
  await migrate(config.databaseUrl, logger);
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const activities = createActivities({
    config,
    jobs,
    records: new RunRecords(pool),
    logger,
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities,
    // Cancellation reaches an activity with its next heartbeat: keep that within seconds.
    maxHeartbeatThrottleInterval: '2s',
  });
  return {
    worker,
    async close() {
      await connection.close();
      await pool.end();
    },
  };
}
