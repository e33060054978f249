// Job containers left behind: a worker that died before its run's cleanup, or a cleanup that
// failed. The retention sweep decides which are orphans; this finds and removes them.
import type Docker from 'dockerode';
import { DockerUnavailableError } from './errors.js';
import { LABELS } from './identity.js';

export interface JobContainer {
  id: string;
  name: string;
  runId: string;
  createdAt: Date;
  /** Invalid (NaN) when the label is missing or malformed: such a container never expires by date. */
  expiresAt: Date;
}

/** Every container this system started, running or not, on this Docker daemon. */
export async function listJobContainers(docker: Docker): Promise<JobContainer[]> {
  let containers: Docker.ContainerInfo[];
  try {
    containers = await docker.listContainers({ all: true, filters: { label: [`${LABELS.managed}=true`] } });
  } catch (err) {
    throw new DockerUnavailableError(err);
  }
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
    await docker.getContainer(id).remove({ force: true });
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}
