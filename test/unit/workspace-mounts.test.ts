import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { checkWorkspaceVolume, runDirBind } from '../../src/containers/workspace-mounts.js';

// The engine, as far as these functions ask it: one volume, or none.
function engine(volume?: { Driver: string; Mountpoint: string }): Docker {
  return {
    getVolume: () => ({
      inspect: async () => {
        if (volume) return volume;
        throw Object.assign(new Error('no such volume'), { statusCode: 404 });
      },
    }),
  } as unknown as Docker;
}

const ROOT = '/var/lib/speckit/workspaces';
const MOUNTPOINT = '/var/lib/docker/volumes/speckit_workspaces/_data';

describe('workspace mounts', () => {
  it('host directory: the run directory at its own path', async () => {
    expect(await runDirBind(engine(), { workspaceRoot: ROOT }, 'sk-1')).toBe(
      `${ROOT}/runs/sk-1:${ROOT}/runs/sk-1`,
    );
  });

  it("named volume: the run's subdirectory of the volume's Mountpoint, at the path the worker sees", async () => {
    const docker = engine({ Driver: 'local', Mountpoint: MOUNTPOINT });
    const where = { workspaceRoot: ROOT, workspaceVolume: 'speckit_workspaces' };
    expect(await runDirBind(docker, where, 'sk-1')).toBe(`${MOUNTPOINT}/runs/sk-1:${ROOT}/runs/sk-1`);
    await expect(checkWorkspaceVolume(docker, where)).resolves.toBeUndefined();
  });

  it('a missing volume or another driver fails, saying what to do', async () => {
    const where = { workspaceRoot: ROOT, workspaceVolume: 'speckit_workspaces' };
    await expect(checkWorkspaceVolume(engine(), where)).rejects.toThrow(
      /not found.*SPECKIT_WORKSPACE_VOLUME/,
    );
    await expect(runDirBind(engine({ Driver: 'rexray', Mountpoint: '/x' }), where, 'sk-1')).rejects.toThrow(
      /driver rexray: only the local driver/,
    );
  });

  it('SPECKIT_WORKSPACE_VOLUME: a volume name; empty or unset is host-directory mode', () => {
    const base = { SPECKIT_WORKSPACE_ROOT: ROOT, SPECKIT_CLONE_CACHE_DIR: '' };
    expect(loadConfig({ ...base, SPECKIT_WORKSPACE_VOLUME: 'speckit_workspaces' }).workspaceVolume).toBe(
      'speckit_workspaces',
    );
    expect(loadConfig({ ...base, SPECKIT_WORKSPACE_VOLUME: '' }).workspaceVolume).toBeUndefined();
    expect(loadConfig(base).workspaceVolume).toBeUndefined();
    expect(() => loadConfig({ ...base, SPECKIT_WORKSPACE_VOLUME: '/var/lib/x' })).toThrow(
      /SPECKIT_WORKSPACE_VOLUME: must be a Docker volume name/,
    );
  });
});
