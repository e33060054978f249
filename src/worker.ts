import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import Docker from 'dockerode';
import pg from 'pg';
import { createActivities } from './activities/index.js';
import { removeOrphanContainers } from './activities/orphan-containers.js';
import { activityMetrics } from './activity-metrics.js';
import type { Config } from './config.js';
import { JobImageMissingError } from './containers/errors.js';
import { JobRunner } from './containers/job-runner.js';
import { checkWorkspaceVolume } from './containers/workspace-mounts.js';
import { migrate } from './db/migrate.js';
import { RunCheckpoints } from './db/run-checkpoints.js';
import { RunRecords } from './db/run-records.js';
import { WorkerHosts } from './db/worker-hosts.js';
import type { Logger } from './logging.js';
import { createMetrics } from './metrics.js';
import type { Redactor } from './redaction.js';
import { ensureRetentionSchedule } from './schedules.js';
import type { WorkerSecrets } from './secrets.js';
import { createArtifactArchive } from './storage/artifact-archive.js';
import { workflowCode } from './workflow-code.js';

export interface SpecKitWorker {
  /** Polls until shutdown; rejects when either worker fails. */
  run(): Promise<void>;
  shutdown(): void;
  /** Releases the Temporal connection, the database pool and metrics once the worker has stopped. */
  close(): Promise<void>;
}

/** How often this host says it is alive (activities/hosts.ts gives up after HOST_ALIVE_SECONDS). */
const HOST_BEAT_MS = 5_000;

/**
 * Checks its dependencies, migrates the database, removes orphan job containers, ensures the
 * retention schedule and builds the host's two workers: one for the run task queue (workflows and
 * the steps any host may take) and one for this host's own queue (the steps of the runs whose
 * workspace it holds; the workflow sends them there, workflows/run-host.ts).
 */
export async function createWorker(
  config: Config,
  secrets: WorkerSecrets,
  logger: Logger,
  redactor: Redactor,
): Promise<SpecKitWorker> {
  const docker = new Docker();
  const jobs = new JobRunner(docker, {
    hostId: config.hostId,
    limits: config.jobLimits,
    network: config.jobNetwork,
    redact: () => redactor.redactStream(),
  });
  // An unreachable daemon stops the worker here; a missing image only fails the runs, which say how to fix it.
  await jobs.checkReady(config.jobImage).catch((err) => {
    if (!(err instanceof JobImageMissingError)) throw err;
    logger.warn(err.message);
  });
  await checkWorkspaceVolume(docker, config);
  await migrate(config.databaseUrl, logger);
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
  // An idle connection dropped by a PostgreSQL restart must not crash the worker: the next query
  // reconnects, and the activity that needed it is retried.
  pool.on('error', (err) => logger.warn({ err }, 'PostgreSQL connection lost'));
  const metrics = createMetrics(config.metrics, logger);
  const records = new RunRecords(pool);
  const hosts = new WorkerHosts(pool);
  const containersRemoved = await removeOrphanContainers({ docker, records, logger }, new Date());
  if (containersRemoved) logger.info({ containersRemoved }, 'orphan job containers removed at start');
  const activities = createActivities({
    config,
    secrets,
    docker,
    jobs,
    records,
    logger,
    metrics,
    redactor,
    archive: config.archive && createArtifactArchive(config.archive),
    checkpoints: new RunCheckpoints(pool),
    hosts,
  });
  if (config.retentionSchedule) await ensureSchedule(config);

  const beat = () => hosts.beat({ hostId: config.hostId, taskQueue: config.temporal.hostTaskQueue });
  await beat();
  const beating = setInterval(
    () => void beat().catch((err) => logger.warn({ err }, 'cannot tell PostgreSQL this host is alive')),
    HOST_BEAT_MS,
  );

  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const options = {
    connection,
    namespace: config.temporal.namespace,
    activities,
    interceptors: { activity: [activityMetrics(metrics)] },
    // Cancellation reaches an activity with its next heartbeat: keep that within seconds.
    maxHeartbeatThrottleInterval: '2s',
  };
  const workers = [
    await Worker.create({ ...options, taskQueue: config.temporal.taskQueue, ...workflowCode() }),
    await Worker.create({ ...options, taskQueue: config.temporal.hostTaskQueue }),
  ];
  return {
    async run() {
      // One stopping (a fatal error) stops the other: the host works whole or not at all.
      await Promise.all(workers.map((w) => w.run().finally(() => stop(workers))));
    },
    shutdown: () => stop(workers),
    async close() {
      clearInterval(beating);
      await connection.close();
      await pool.end();
      await metrics.close();
    },
  };
}

function stop(workers: Worker[]): void {
  for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
}

async function ensureSchedule(config: Config): Promise<void> {
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    await ensureRetentionSchedule(new Client({ connection, namespace: config.temporal.namespace }), {
      taskQueue: config.temporal.taskQueue,
      retentionDays: config.retentionDays,
      interval: config.retentionSweepInterval,
    });
  } finally {
    await connection.close();
  }
}
