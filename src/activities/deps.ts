import type { Config } from '../config.js';
import type { JobRunner } from '../containers/job-runner.js';
import type { RunRecords } from '../db/run-records.js';
import type { Logger } from '../logging.js';

export interface ActivityDeps {
  config: Config;
  jobs: JobRunner;
  records: RunRecords;
  logger: Logger;
}
