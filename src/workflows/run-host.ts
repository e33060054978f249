import { TimeoutType } from '@temporalio/common';
import { ActivityFailure, log, patched, TimeoutFailure } from '@temporalio/workflow';
import type { ThisHost } from '../activities/hosts.js';
import type { RunInput, StepTimeouts } from '../run/input.js';
import { type HostActivities, hostActivities, type SharedActivities } from './step-activities.js';

/** Runs started before hosts had task queues of their own send every activity to the run's queue. */
export const HOST_AFFINITY_PATCH = 'host-affinity';
/** Runs started before a host's claim ran the preflight ran it first, on whichever worker took it. */
export const PREFLIGHT_ON_CLAIM_PATCH = 'preflight-on-claim';

export interface RunPlace {
  runId: string;
  repo: string;
  baseBranch: string;
}

/**
 * Where the run's workspace lives. Its steps go to the task queue of the worker host holding it
 * (claimed by the first step: whichever worker takes `claimHost`). When that host takes no step
 * for timeouts.hostWaitSeconds and has stopped saying it is alive, the run moves: another host
 * recreates the workspace from the last checkpoint, and the step that was lost runs there. Steps
 * completed before are not run again.
 */
export class RunHost {
  private readonly affinity = patched(HOST_AFFINITY_PATCH);
  /** Each host that claims the run runs its preflight: its checks hold where the steps run. */
  readonly preflightOnClaim = this.affinity && patched(PREFLIGHT_ON_CLAIM_PATCH);
  private activities: HostActivities;
  private host?: ThisHost;
  private moves = 0;
  /** The run moved to this host and its workspace is not recreated yet. */
  private restoring = false;

  constructor(
    private readonly place: RunPlace,
    private readonly timeouts: StepTimeouts,
    private readonly shared: SharedActivities,
    /** Told each host the run is placed on, and where its artifacts go once it moved there. */
    private readonly placed: (hostId: string, artifactsDir?: string) => void,
    /** What each claiming host's preflight checks. */
    private readonly input: RunInput,
  ) {
    this.activities = hostActivities(timeouts);
  }

  /** The workspace steps, each called on the run's host through `run`. */
  get steps(): Omit<HostActivities, 'restoreWorkspace'> {
    const call =
      <A, R>(pick: (a: HostActivities) => (arg: A) => Promise<R>) =>
      (arg: A) =>
        this.run((a) => pick(a)(arg));
    return {
      prepareRun: call((a) => a.prepareRun),
      finishRun: call((a) => a.finishRun),
      cloneRepo: call((a) => a.cloneRepo),
      initSpecKit: call((a) => a.initSpecKit),
      runAgentPhase: call((a) => a.runAgentPhase),
      writeClarifications: call((a) => a.writeClarifications),
      commitChanges: call((a) => a.commitChanges),
      pushBranch: call((a) => a.pushBranch),
    };
  }

  /** Calls a workspace activity on the run's host, moving the run first when needed. */
  async run<T>(step: (a: HostActivities) => Promise<T>): Promise<T> {
    if (!this.affinity) return step(this.activities);
    for (;;) {
      try {
        const host = this.host ?? (await this.claim());
        if (this.restoring) {
          const { artifactsDir } = await this.activities.restoreWorkspace({
            ...this.place,
            attempt: this.moves,
          });
          this.placed(host.hostId, artifactsDir);
          this.restoring = false;
        }
        return await step(this.activities);
      } catch (err) {
        if (!this.host || !notTaken(err)) throw err;
        // A busy host takes the step late; only one that stopped saying it is alive is given up.
        if (await this.shared.hostAlive(this.host)) continue;
        log.warn('worker host lost: the run moves to another host', { host: this.host.hostId });
        this.host = undefined;
        this.moves++;
      }
    }
  }

  private async claim(): Promise<ThisHost> {
    const { runId } = this.place;
    const host = await this.shared.claimHost(
      this.preflightOnClaim ? { runId, input: this.input } : { runId },
    );
    this.activities = hostActivities(this.timeouts, host.taskQueue);
    this.host = host;
    // A run that moved is placed once its workspace is restored.
    this.restoring = this.moves > 0;
    if (!this.restoring) this.placed(host.hostId);
    return host;
  }
}

/** No worker took the activity from its host's queue in time. */
function notTaken(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof TimeoutFailure &&
    err.cause.timeoutType === TimeoutType.SCHEDULE_TO_START
  );
}
