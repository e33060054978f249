import type { RunRecords } from '../db/run-records.js';
import type { WorkerHosts } from '../db/worker-hosts.js';
import type { RunInput } from '../run/input.js';
import { runPaths } from '../workspace.js';

/** Three of the worker's beats (worker.ts, one every 5 s): a host that missed them all is gone. */
export const HOST_ALIVE_SECONDS = 15;

export interface ThisHost {
  hostId: string;
  /** The task queue only this host's worker polls. */
  taskQueue: string;
}

export interface HostsDeps {
  host: ThisHost;
  workspaceRoot: string;
  hosts: WorkerHosts;
  records: Pick<RunRecords, 'runMoved'>;
  /** This host's checks that a run can start here (activities/preflight). */
  preflight: (r: { input: RunInput; runId: string }) => Promise<void>;
}

export function createHosts({ host, workspaceRoot, hosts, records, preflight }: HostsDeps) {
  return {
    /**
     * Taken from the run's shared queue by any worker: the one that takes it holds the workspace
     * from now on, which a run already recorded (it moved) records. Given the run's input, it runs
     * the preflight first, so that its checks hold on the host that runs the steps (runs started
     * before, which ran it on their own, give none).
     */
    async claimHost(r: { runId: string; input?: RunInput }): Promise<ThisHost> {
      if (r.input) await preflight({ input: r.input, runId: r.runId });
      await records.runMoved(r.runId, host.hostId, runPaths(workspaceRoot, r.runId).artifactsDir);
      return host;
    },

    /** Whether a host still says it is alive: one that does is busy, not lost. */
    async hostAlive(r: ThisHost): Promise<boolean> {
      return hosts.alive(r.taskQueue, HOST_ALIVE_SECONDS);
    },
  };
}
