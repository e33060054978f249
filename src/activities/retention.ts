import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type Docker from 'dockerode';
import type { Config } from '../config.js';
import type { RunRecords } from '../db/run-records.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import { ArchiveError, type ArtifactArchive } from '../storage/artifact-archive.js';
import { runPaths } from '../workspace.js';
import { removeOrphanContainers } from './orphan-containers.js';

/** Runs swept by one activity at most; the schedule's next sweep takes the rest. */
const SWEEP_BATCH = 500;

export interface RunSweep {
  runsDeleted: number;
  artifactsExpired: number;
  skippedActive: number;
  /** Runs whose artifacts were copied to the archive before their workspace was deleted. */
  runsArchived: number;
  /** Runs kept because archiving them failed; the next sweep tries again. */
  archiveFailed: number;
}

export interface RetentionDeps {
  config: Pick<Config, 'workspaceRoot'>;
  records: RunRecords;
  /** Lists and removes orphan job containers. */
  docker: Docker;
  logger: Logger;
  metrics: Metrics;
  /**
   * Built once by the worker whenever SPECKIT_ARCHIVE_S3_BUCKET is set: a configured archive is
   * never skipped, since deleting without it would lose what it promises to keep. Absent: off.
   */
  archive?: ArtifactArchive;
}

export function createRetention(deps: RetentionDeps) {
  const { records, archive } = deps;
  const runsRoot = path.join(deps.config.workspaceRoot, 'runs');

  /** Copies a run's artifacts to the archive; the failure (logged) when the run has to stay. */
  async function archiveBeforeDelete(
    store: ArtifactArchive,
    runId: string,
    artifactsDir: string,
  ): Promise<ArchiveError | undefined> {
    const context = Context.current();
    try {
      const archived = await store.archiveRun(runId, artifactsDir, {
        signal: context.cancellationSignal,
        onObject: () => context.heartbeat(runId),
      });
      deps.logger.info(
        { run_id: runId, ...archived, location: store.location(runId) },
        'retention: run artifacts archived',
      );
      return undefined;
    } catch (err) {
      // A cancelled sweep stops here; any other failure keeps the run for the next sweep.
      if (context.cancellationSignal.aborted) throw err;
      const failure =
        err instanceof ArchiveError
          ? err
          : new ArchiveError(`artifact archive: ${(err as Error).message}`, 'upload-failed', { cause: err });
      deps.logger.error(
        { run_id: runId, reason: failure.reason },
        `retention: run kept, archiving its artifacts failed: ${failure.message}`,
      );
      return failure;
    }
  }

  return {
    /**
     * Removes the workspaces (repository, logs) of runs that finished before `cutoff` and marks
     * their artifacts expired; runs still going are never touched, however old. With an archive
     * configured, a run's artifacts are copied there first, and a run that could not be copied is
     * kept for the next sweep.
     */
    async sweepExpiredRuns({ cutoff }: { cutoff: string }): Promise<RunSweep> {
      const started = Date.now();
      const scope = { runsRoot, cutoff: new Date(cutoff) };
      const runIds = await records.expiredRuns(scope, SWEEP_BATCH);
      let artifactsExpired = 0;
      let runsDeleted = 0;
      let runsArchived = 0;
      let archiveFailed = 0;
      // Once the store itself fails (bucket, credentials, endpoint), every other run would fail
      // alike: they are kept without trying, and the sweep stays short.
      let storeFailure: ArchiveError | undefined;
      for (const runId of runIds) {
        const { runDir, artifactsDir } = runPaths(deps.config.workspaceRoot, runId);
        if (path.dirname(runDir) !== runsRoot || path.basename(runDir) !== runId) {
          deps.logger.error({ run_id: runId }, `retention: run id leads outside ${runsRoot}; left alone`);
          continue;
        }
        if (archive) {
          const failure = storeFailure ?? (await archiveBeforeDelete(archive, runId, artifactsDir));
          if (failure) {
            archiveFailed++;
            if (failure.storeUnusable) storeFailure = failure;
            continue;
          }
          runsArchived++;
        }
        await rm(runDir, { recursive: true, force: true });
        artifactsExpired += await records.markRunExpired(runId);
        runsDeleted++;
        deps.logger.info({ run_id: runId }, 'retention: run workspace removed');
        Context.current().heartbeat(runId);
      }
      if (storeFailure) {
        deps.logger.error(
          { runs: archiveFailed, reason: storeFailure.reason },
          `retention: ${archiveFailed} expired runs kept, the archive is unusable: ${storeFailure.message}`,
        );
      }
      const skippedActive = await records.countActiveRuns(scope);
      deps.metrics.increment('sweep.runs_deleted', {}, runsDeleted);
      deps.metrics.increment('sweep.artifacts_expired', {}, artifactsExpired);
      deps.metrics.gauge('sweep.skipped_active', skippedActive);
      deps.metrics.timing('sweep.duration', Date.now() - started);
      return { runsDeleted, artifactsExpired, skippedActive, runsArchived, archiveFailed };
    },

    /** Removes job containers nobody will clean up (containers/orphan-containers). */
    async removeOrphanContainers({ now }: { now: string }): Promise<{ containersRemoved: number }> {
      const containersRemoved = await removeOrphanContainers(deps, new Date(now));
      deps.metrics.increment('sweep.containers_removed', {}, containersRemoved);
      return { containersRemoved };
    },
  };
}
