// Finding and removing job containers: a run's, at its cleanup (JobRunner), and every one, for the
// retention sweep, which decides which are orphans (a worker died before its run's cleanup, or a
// cleanup failed).
import type Docker from 'dockerode';
import { guard, statusCode } from './errors.js';
import { LABELS } from './identity.js';

export interface JobContainer {
  id: string;
  name: string;
  runId: string;
  createdAt: Date;
  /** Invalid (NaN) when the label is missing or malformed: such a container never expires by date. */
  expiresAt: Date;
}

/** Every container this system started (of one run, with `runId`), running or not, on this daemon. */
export async function listJobContainers(docker: Docker, runId?: string): Promise<JobContainer[]> {
  const label = runId ? `${LABELS.runId}=${runId}` : `${LABELS.managed}=true`;
  const containers = await guard(() => docker.listContainers({ all: true, filters: { label: [label] } }));
  return containers.map((c) => ({
    id: c.Id,
    name: c.Names[0]?.replace(/^\//, '') ?? c.Id,
    runId: c.Labels[LABELS.runId] ?? '',
    createdAt: new Date(c.Created * 1000),
    expiresAt: new Date(c.Labels[LABELS.expiresAt] ?? Number.NaN),
  }));
}

/** Removes a container, running or not; false when it was already gone. */
export async function removeJobContainer(docker: Docker, id: string): Promise<boolean> {
  try {
    await guard(() => docker.getContainer(id).remove({ force: true }));
    return true;
  } catch (err) {
    if (statusCode(err) === 404) return false;
    throw err;
  }
}
