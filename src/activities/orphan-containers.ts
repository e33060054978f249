import type Docker from 'dockerode';
import { type JobContainer, listJobContainers, removeJobContainer } from '../containers/job-containers.js';
import type { RunRecords } from '../db/run-records.js';
import type { Logger } from '../logging.js';

/**
 * Removes job containers nobody will clean up: past their expiry label, or belonging to a run
 * that has finished (its own cleanup failed). A container created after its run id finished
 * belongs to a newer run of the same id and is kept. Run by the retention sweep and by a worker
 * at start. Returns how many were removed.
 */
export async function removeOrphanContainers(
  deps: { docker: Docker; records: RunRecords; logger: Logger },
  now: Date,
): Promise<number> {
  const containers = await listJobContainers(deps.docker);
  const finished = await deps.records.finishedAt([...new Set(containers.map((c) => c.runId))]);
  const orphans = containers.filter((c) => isOrphan(c, now, finished.get(c.runId)));
  let removed = 0;
  for (const c of orphans) {
    if (!(await removeJobContainer(deps.docker, c.id))) continue;
    removed++;
    deps.logger.info({ run_id: c.runId, container_id: c.id, name: c.name }, 'orphan job container removed');
  }
  return removed;
}

function isOrphan(c: JobContainer, now: Date, runFinishedAt: Date | undefined): boolean {
  return c.expiresAt <= now || (runFinishedAt !== undefined && c.createdAt <= runFinishedAt);
}
