import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { type JobContainer, listJobContainers, removeJobContainer } from '../containers/orphans.js';
import { countActiveRuns, expiredRuns, finishedAt, markRunExpired } from '../db/retention-queries.js';
import { runPaths } from '../workspace.js';
import type { ActivityDeps } from './deps.js';

/** Runs swept by one activity at most; the schedule's next sweep takes the rest. */
const SWEEP_BATCH = 500;

export interface RunSweep {
  runsDeleted: number;
  artifactsExpired: number;
  skippedActive: number;
}

export function createRetention(deps: ActivityDeps) {
  const { docker } = deps;
  const pool = deps.records.pool;
  const runsRoot = path.join(deps.config.workspaceRoot, 'runs');

  return {
    /**
     * Removes the workspaces (repository, logs) of runs that finished before `cutoff` and marks
     * their artifacts expired; runs still going are never touched, however old.
     */
    async sweepExpiredRuns({ cutoff }: { cutoff: string }): Promise<RunSweep> {
      const scope = { runsRoot, cutoff: new Date(cutoff) };
      const runIds = await expiredRuns(pool, scope, SWEEP_BATCH);
      let artifactsExpired = 0;
      let runsDeleted = 0;
      for (const runId of runIds) {
        const { runDir } = runPaths(deps.config.workspaceRoot, runId);
        if (path.dirname(runDir) !== runsRoot || path.basename(runDir) !== runId) {
          deps.logger.error({ run_id: runId }, `retention: run id leads outside ${runsRoot}; left alone`);
          continue;
        }
        await rm(runDir, { recursive: true, force: true });
        artifactsExpired += await markRunExpired(pool, runId);
        runsDeleted++;
        deps.logger.info({ run_id: runId }, 'retention: run workspace removed');
        Context.current().heartbeat(runId);
      }
      return { runsDeleted, artifactsExpired, skippedActive: await countActiveRuns(pool, scope) };
    },

    /**
     * Removes job containers nobody will clean up: past their expiry label, or belonging to a run
     * that has finished (its own cleanup failed). A container created after its run id finished
     * belongs to a newer run of the same id and is kept.
     */
    async removeOrphanContainers({ now }: { now: string }): Promise<{ containersRemoved: number }> {
      const containers = await listJobContainers(docker);
      const finished = await finishedAt(pool, [...new Set(containers.map((c) => c.runId))]);
      const until = new Date(now);
      const orphans = containers.filter((c) => isOrphan(c, until, finished.get(c.runId)));
      let containersRemoved = 0;
      for (const c of orphans) {
        if (!(await removeJobContainer(docker, c.id))) continue;
        containersRemoved++;
        deps.logger.info(
          { run_id: c.runId, container_id: c.id, name: c.name },
          'retention: orphan container removed',
        );
      }
      return { containersRemoved };
    },
  };
}

function isOrphan(c: JobContainer, now: Date, runFinishedAt: Date | undefined): boolean {
  return c.expiresAt <= now || (runFinishedAt !== undefined && c.createdAt <= runFinishedAt);
}
