import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RunStatus } from '../db/run-records.js';
import type { AgentConfig, RunInput } from '../run-input.js';
import type { RunSummary } from '../run-summary.js';
import { runPaths } from '../workspace.js';
import type { ActivityDeps } from './deps.js';

export interface PreparedRun {
  agent: AgentConfig;
  artifactsDir: string;
}

export function createRunLifecycle(deps: ActivityDeps) {
  return {
    /** Allocates the run's workspace and records the run; resolves the agent from configuration. */
    async prepareRun(r: { runId: string; workflowId: string; input: RunInput }): Promise<PreparedRun> {
      const paths = runPaths(deps.config.workspaceRoot, r.runId);
      for (const dir of [paths.runDir, paths.homeDir, paths.artifactsDir]) {
        await mkdir(dir, { recursive: true });
        await handToJobUser(dir, deps.config.jobUser);
      }
      const agent = r.input.agent ?? { backend: deps.config.defaultAgent };
      await deps.records.runStarted({
        runId: r.runId,
        workflowId: r.workflowId,
        repo: r.input.repo,
        baseBranch: r.input.baseBranch,
        agentBackend: agent.backend,
        phases: r.input.phases,
        publishMode: r.input.publish.mode,
        artifactsDir: paths.artifactsDir,
        workerHost: os.hostname(),
      });
      deps.logger.info({ run_id: r.runId, repo: r.input.repo }, 'run prepared');
      return { agent, artifactsDir: paths.artifactsDir };
    },

    /**
     * Whatever happened: removes the run's containers and its home directory (agent caches and
     * credentials live there), keeps the repository and artifacts, and records the outcome.
     */
    async finishRun(summary: RunSummary): Promise<{ containersRemoved: number }> {
      const paths = runPaths(deps.config.workspaceRoot, summary.runId);
      const containersRemoved = await deps.jobs.removeRunContainers(summary.runId);
      await rm(paths.homeDir, { recursive: true, force: true });
      await mkdir(paths.artifactsDir, { recursive: true });
      await writeFile(path.join(paths.artifactsDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      await deps.records.runFinished({
        runId: summary.runId,
        status: summary.status as RunStatus,
        featureBranch: summary.branch,
        commit: summary.commit,
        error: summary.error,
      });
      deps.logger.info(
        { run_id: summary.runId, branch: summary.branch, status: summary.status, containersRemoved },
        'run finished',
      );
      return { containersRemoved };
    },
  };
}

async function handToJobUser(dir: string, jobUser: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const [uid, gid] = jobUser.split(':').map(Number);
  await chown(dir, uid as number, gid as number);
}
