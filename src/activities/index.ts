import type Docker from 'dockerode';
import type { Config } from '../config.js';
import type { JobRunner } from '../containers/job-runner.js';
import type { RunCheckpoints } from '../db/run-checkpoints.js';
import type { RunRecords } from '../db/run-records.js';
import type { WorkerHosts } from '../db/worker-hosts.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import type { Redactor } from '../redaction.js';
import type { WorkerSecrets } from '../secrets.js';
import type { ArtifactArchive } from '../storage/artifact-archive.js';
import { createAgentPhase } from './agent-phase.js';
import { createClarifications } from './clarifications.js';
import { stepRunner } from './container-step.js';
import { createGitSteps } from './git-steps.js';
import { createHosts } from './hosts.js';
import { createPreflight } from './preflight.js';
import { createPullRequests } from './pull-request.js';
import { createRetention } from './retention.js';
import { createRunLifecycle } from './run-lifecycle.js';
import { createWorkspaceRestore } from './workspace-restore.js';

/** What the worker builds at its start; each group of activities is handed the part it uses. */
export interface WorkerParts {
  config: Config;
  secrets: WorkerSecrets;
  docker: Docker;
  jobs: JobRunner;
  records: RunRecords;
  logger: Logger;
  metrics: Metrics;
  /** Masks the worker's secrets in everything a run writes: artifacts, records, messages. */
  redactor: Redactor;
  /** Where retention copies a run's artifacts before deleting them; absent: archiving is off. */
  archive?: ArtifactArchive;
  /** The run states other hosts resume from, and which hosts are alive (workflows/run-host.ts). */
  checkpoints: RunCheckpoints;
  hosts: WorkerHosts;
}

export function createActivities(w: WorkerParts) {
  const { config, secrets, docker, jobs, records, logger, metrics, redactor, checkpoints } = w;
  const runStep = stepRunner({ config, docker, jobs, records, logger, metrics, redactor });
  const gitSteps = createGitSteps({
    config,
    runStep,
    docker,
    logger,
    redactor,
    gitToken: secrets.gitToken,
    checkpoints,
  });
  const preflight = createPreflight({ config, jobs, docker, agentKeys: secrets.agentKeys });
  return {
    ...preflight,
    ...createHosts({
      host: { hostId: config.hostId, taskQueue: config.temporal.hostTaskQueue },
      workspaceRoot: config.workspaceRoot,
      hosts: w.hosts,
      records,
      preflight: preflight.preflight,
    }),
    ...createRunLifecycle({ config, jobs, records, checkpoints, logger, metrics, redactor }),
    ...gitSteps,
    ...createWorkspaceRestore({ config, checkpoints, cloneRepo: gitSteps.cloneRepo }),
    ...createAgentPhase({ config, runStep, records, redactor, agentKeys: secrets.agentKeys, checkpoints }),
    ...createClarifications(config.workspaceRoot, checkpoints),
    ...createPullRequests({ config, logger, gitToken: secrets.gitToken }),
    ...createRetention({ config, records, docker, logger, metrics, archive: w.archive }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
