import type Docker from 'dockerode';
import { runPaths } from '../workspace.js';

/** Where the workspaces live, as far as job containers are concerned. */
export interface WorkspaceLocation {
  /** The path the worker sees the workspaces at; job containers see their run at the same path. */
  workspaceRoot: string;
  /** The named volume holding the workspaces (worker in a container); absent: a host directory. */
  workspaceVolume?: string;
}

export class WorkspaceVolumeError extends Error {
  override name = 'WorkspaceVolumeError';
}

/**
 * The bind mount that gives a job container its own run directory and nothing else of the
 * workspaces: no other run's, no socket.
 *
 * Host-directory mode: the worker and the engine share one file system, so the run directory is
 * mounted at its own path. Volume mode: the worker sees the volume at its workspace root, but a
 * bind's source is a path on the engine's host, which only the engine knows (the volume's
 * Mountpoint); the worker asks it rather than guessing. Engine 20.10 (API 1.41) cannot mount a
 * volume's subdirectory, so the run's subdirectory of the Mountpoint is bind-mounted instead, at
 * the path the worker sees it at. Asked on every step: one cheap call, and nothing goes stale.
 */
export async function runDirBind(docker: Docker, where: WorkspaceLocation, runId: string): Promise<string> {
  const { runDir } = runPaths(where.workspaceRoot, runId);
  if (!where.workspaceVolume) return `${runDir}:${runDir}`;
  const mountpoint = await volumeMountpoint(docker, where.workspaceVolume);
  const { runDir: hostRunDir } = runPaths(mountpoint, runId);
  return `${hostRunDir}:${runDir}`;
}

/** Fails unless the workspace volume exists on the engine and its driver is supported. */
export async function checkWorkspaceVolume(docker: Docker, where: WorkspaceLocation): Promise<void> {
  if (where.workspaceVolume) await volumeMountpoint(docker, where.workspaceVolume);
}

async function volumeMountpoint(docker: Docker, name: string): Promise<string> {
  let volume: { Driver: string; Mountpoint: string };
  try {
    volume = await docker.getVolume(name).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) {
      throw new WorkspaceVolumeError(
        `workspace volume ${name} not found on the Docker engine: create it (docker compose does) ` +
          'or fix SPECKIT_WORKSPACE_VOLUME',
      );
    }
    throw err;
  }
  // Only the local driver's Mountpoint is a directory on the engine's host that a bind mount can
  // take (with or without driver options such as an NFS mount): plugins mount elsewhere, or lazily.
  if (volume.Driver !== 'local') {
    throw new WorkspaceVolumeError(
      `workspace volume ${name} uses driver ${volume.Driver}: only the local driver is supported ` +
        '(use a local volume, with driver_opts for NFS, or a host directory without SPECKIT_WORKSPACE_VOLUME)',
    );
  }
  return volume.Mountpoint;
}
