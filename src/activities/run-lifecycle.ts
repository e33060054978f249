import { mkdir, rm } from 'node:fs/promises';
import { resolveAgent } from '../agents/resolve-agent.js';
import { commitStatusOf, writeCommitStatus, writeSummary } from '../artifacts.js';
import type { Config } from '../config.js';
import type { JobRunner } from '../containers/job-runner.js';
import type { RunCheckpoints } from '../db/run-checkpoints.js';
import type { RunRecords } from '../db/run-records.js';
import { type Logger, runLogger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import type { Redactor } from '../redaction.js';
import type { AgentConfig, RunInput } from '../run/input.js';
import type { RunStatus, UnfinishedStatus } from '../run/status.js';
import type { RunSummary } from '../run/summary.js';
import { allocateRun, runPaths } from '../workspace.js';

export interface PreparedRun {
  agent: AgentConfig;
  artifactsDir: string;
}

export interface RunLifecycleDeps {
  config: Pick<Config, 'workspaceRoot' | 'jobUser' | 'defaultAgent' | 'retentionDays' | 'hostId'>;
  jobs: Pick<JobRunner, 'removeRunContainers'>;
  records: RunRecords;
  /** Dropped when the run finishes: no host will resume it. */
  checkpoints: Pick<RunCheckpoints, 'drop'>;
  logger: Logger;
  metrics: Metrics;
  /** Masks the worker's secrets in what a run records and writes: summary, agent options. */
  redactor: Redactor;
}

export function createRunLifecycle(deps: RunLifecycleDeps) {
  const { redactor } = deps;
  return {
    /** Allocates the run's workspace and records the run; resolves the agent from configuration. */
    async prepareRun(r: { runId: string; input: RunInput }): Promise<PreparedRun> {
      const paths = await allocateRun(deps.config.workspaceRoot, r.runId, deps.config.jobUser);
      const agent = resolveAgent(r.input.agent, deps.config.defaultAgent);
      await deps.records.runStarted({
        runId: r.runId,
        repo: r.input.repo,
        baseBranch: r.input.baseBranch,
        agentBackend: agent.backend,
        phases: r.input.phases,
        publishMode: r.input.publish.mode,
        artifactsDir: paths.artifactsDir,
        workerHost: deps.config.hostId,
      });
      // The rest of the agent's configuration (options, extra arguments), as the run used it.
      const { backend, model, ...options } = agent;
      await deps.records.agentConfig({
        runId: r.runId,
        backend,
        model,
        options: redactor.redactObject(options),
      });
      deps.metrics.increment('runs.started');
      runLogger(deps.logger, { run_id: r.runId, repo: r.input.repo }).info('run prepared');
      return { agent, artifactsDir: paths.artifactsDir };
    },

    /** The run starts or stops waiting for an operator (clarification answers, approval). */
    async recordStatus(r: { runId: string; status: UnfinishedStatus }): Promise<void> {
      await deps.records.runStatus(r.runId, r.status);
    },

    /**
     * Whatever happened: removes the run's containers and its home directory (agent caches and
     * credentials live there), keeps the repository and artifacts, writes the run's summary and
     * commit status, indexes the artifacts and records the outcome, secrets masked throughout.
     * Every part can run again: a retry rewrites the same files and rows. Containers that cannot
     * be removed now (Docker down) are recorded in the summary and left to the orphan sweep.
     */
    async finishRun(run: RunSummary): Promise<{ containersRemoved: number }> {
      const paths = runPaths(deps.config.workspaceRoot, run.runId);
      const cleanup = await deps.jobs.removeRunContainers(run.runId).then(
        (containersRemoved) => ({ containersRemoved }),
        (err: Error) => ({
          containersRemoved: 0,
          error: `${err.message}; the orphan sweep removes them later`,
        }),
      );
      const summary = { ...run, cleanup };
      await rm(paths.homeDir, { recursive: true, force: true });
      await mkdir(paths.artifactsDir, { recursive: true });
      const safe = redactor.redactObject(summary);
      await writeSummary(paths.artifactsDir, safe);
      await writeCommitStatus(paths.artifactsDir, commitStatusOf(safe));
      const artifacts = await deps.records.indexArtifacts({
        runId: summary.runId,
        artifactsDir: paths.artifactsDir,
        retentionDays: deps.config.retentionDays,
        now: new Date(),
      });
      await deps.records.runFinished({
        runId: summary.runId,
        status: summary.status as RunStatus,
        featureBranch: summary.branch,
        commit: summary.commit,
        error: safe.error,
        reason: safe.reason,
        constitution: summary.constitution,
      });
      await deps.checkpoints.drop(summary.runId);
      deps.metrics.increment(`runs.${summary.status}` as 'runs.succeeded');
      runLogger(deps.logger, { run_id: summary.runId, repo: summary.repo, branch: summary.branch }).info(
        { status: summary.status, ...cleanup, artifacts: artifacts.length },
        'run finished',
      );
      return { containersRemoved: cleanup.containersRemoved };
    },
  };
}
