import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { createLogger, installSdkLogging } from '../logging.js';
import { Redactor } from '../redaction.js';
import { createWorker } from '../worker.js';

export function workerCommand(): Command {
  return new Command('worker').description('start a worker; stops on SIGINT or SIGTERM').action(async () => {
    const config = loadConfig();
    const redactor = Redactor.fromEnv();
    const logger = createLogger(config.logLevel, process.stderr, redactor);
    installSdkLogging(logger);
    const { worker, close } = await createWorker(config, logger, redactor);
    logger.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker started');
    try {
      await worker.run();
    } finally {
      await close();
    }
  });
}
