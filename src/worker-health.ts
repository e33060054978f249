// The worker image's HEALTHCHECK (`node dist/worker-health.js`, run inside the worker's container
// with its environment): exits 0 when the Docker engine answers and this container's worker polls
// its task queue on Temporal, 1 with the reason otherwise. A process that is alive but lost its
// server, or cannot start job containers, is not healthy.
import os from 'node:os';
import { Connection } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time.js';
import Docker from 'dockerode';
import { loadConfig } from './config.js';
import { isPolling } from './pollers.js';

const TIMEOUT_MS = 5_000;

async function check(): Promise<void> {
  const config = loadConfig(process.env);
  // Unbounded here: the HEALTHCHECK's own --timeout bounds the whole check.
  await new Docker().ping();
  const connection = await Connection.connect({
    address: config.temporal.address,
    connectTimeout: TIMEOUT_MS,
  });
  try {
    const { pollers } = await connection.withDeadline(Date.now() + TIMEOUT_MS, () =>
      connection.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: config.temporal.taskQueue },
      }),
    );
    // The SDK's default worker identity is `<pid>@<hostname>`; the hostname is this container's.
    const mine = (pollers ?? []).filter(
      (p) => p.identity?.endsWith(`@${os.hostname()}`) && isPolling(optionalTsToDate(p.lastAccessTime)),
    );
    if (!mine.length)
      throw new Error(`no worker of this container polls task queue ${config.temporal.taskQueue}`);
  } finally {
    await connection.close();
  }
}

check().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`unhealthy: ${err.message}`);
    process.exit(1);
  },
);
