import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import type { RunCheckpoints } from '../db/run-checkpoints.js';
import { allocateRun } from '../workspace.js';
import type { createGitSteps } from './git-steps.js';

export interface WorkspaceRestoreDeps {
  config: Pick<Config, 'workspaceRoot' | 'jobUser'>;
  checkpoints: Pick<RunCheckpoints, 'latest'>;
  cloneRepo: ReturnType<typeof createGitSteps>['cloneRepo'];
}

export interface WorkspaceRestore {
  runId: string;
  repo: string;
  baseBranch: string;
  /** How many times the run moved: the restore container's attempt. */
  attempt: number;
}

export function createWorkspaceRestore(deps: WorkspaceRestoreDeps) {
  return {
    /**
     * The run moved to this host: recreates its workspace from the checkpoint the last host kept
     * (the cloned commit, the bundle of what the steps changed, files the worker wrote). Returns the
     * step the workspace is restored to (none when the clone had not finished: it runs next) and
     * where the run's artifacts go from now on.
     */
    async restoreWorkspace(r: WorkspaceRestore): Promise<{ restored?: string; artifactsDir: string }> {
      const paths = await allocateRun(deps.config.workspaceRoot, r.runId, deps.config.jobUser);
      const { artifactsDir } = paths;
      const checkpoint = await deps.checkpoints.latest(r.runId);
      if (!checkpoint) return { artifactsDir };
      const bundleFile = checkpoint.bundle && path.join(paths.runDir, 'restore.bundle');
      if (bundleFile) await writeFile(bundleFile, checkpoint.bundle as Buffer, { mode: 0o644 });
      await deps.cloneRepo({
        runId: r.runId,
        attempt: 1,
        repo: r.repo,
        baseBranch: r.baseBranch,
        restore: { commit: checkpoint.baseCommit, bundleFile, branch: checkpoint.branch, attempt: r.attempt },
      });
      for (const [file, content] of Object.entries(checkpoint.files)) {
        const target = path.join(paths.repoDir, file);
        if (!target.startsWith(`${paths.repoDir}${path.sep}`))
          throw new Error(`checkpoint file ${file} leaves the repository`);
        await writeFile(target, content);
      }
      return { restored: checkpoint.step, artifactsDir };
    },
  };
}
