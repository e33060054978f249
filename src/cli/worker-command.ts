import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { createLogger } from '../logging.js';
import { createWorker } from '../worker.js';

export function workerCommand(): Command {
  return new Command('worker').description('start a worker; stops on SIGINT or SIGTERM').action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const { worker, close } = await createWorker(config, logger);
    logger.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker started');
    try {
      await worker.run();
    } finally {
      await close();
    }
  });
}
