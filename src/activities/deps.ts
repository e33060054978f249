import type Docker from 'dockerode';
import type { Config } from '../config.js';
import type { JobRunner } from '../containers/job-runner.js';
import type { RunRecords } from '../db/run-records.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import type { Redactor } from '../redaction.js';
import type { ArtifactArchive } from '../storage/artifact-archive.js';

export interface ActivityDeps {
  config: Config;
  docker: Docker;
  jobs: JobRunner;
  records: RunRecords;
  logger: Logger;
  metrics: Metrics;
  /** Masks the worker's secrets in everything a run writes: artifacts, records, messages. */
  redactor: Redactor;
  /** Where retention copies a run's artifacts before deleting them; absent: archiving is off. */
  archive?: ArtifactArchive;
}
