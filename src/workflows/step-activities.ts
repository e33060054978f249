import {
  ActivityCancellationType,
  type ActivityFunctionWithOptions,
  proxyActivities,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { NON_RETRYABLE } from '../run/failures.js';
import type { StepTimeouts } from '../run/input.js';

// Cleanup must not race a step that is still stopping its container; left unset, the SDK sends
// no cancellation type and the server's default (TRY_CANCEL) does not wait.
const cancellationType = ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;

const retry = {
  initialInterval: '2s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 5,
  nonRetryableErrorTypes: [...NON_RETRYABLE],
};

/** Activities that need no workspace: any worker takes them from the run's own task queue. */
export function sharedActivities() {
  const run = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry });
  // Octokit waits out short rate limits itself (up to a minute) before failing retryably.
  const forge = proxyActivities<Activities>({ startToCloseTimeout: '3m', retry });
  return {
    preflight: summarized(run.preflight, 'preflight'),
    recordStatus: summarized(run.recordStatus, ({ status }) => `status ${status}`),
    claimHost: summarized(run.claimHost, ({ input }) => (input ? 'preflight, claim a host' : 'claim a host')),
    hostAlive: summarized(run.hostAlive, ({ hostId }) => `is ${hostId} alive`),
    openPullRequest: summarized(forge.openPullRequest, 'pull-request'),
  };
}

/**
 * The activities that use the run's workspace, with the run's timeouts, sent to `taskQueue`: the
 * queue of the worker host holding the workspace (absent for runs started before hosts had queues
 * of their own). Container steps heartbeat while their container runs, so a dead worker is noticed
 * after one heartbeat timeout and the retry re-attaches to the container; a retry no worker takes
 * within timeouts.hostWaitSeconds fails with a schedule-to-start timeout (see RunHost).
 * Each call carries the step's name as its summary, which the Temporal UI shows on the timeline
 * (`specify`, `plan`, `tasks` rather than `runAgentPhase` three times).
 */
export function hostActivities(timeouts: StepTimeouts, taskQueue?: string) {
  const heartbeatTimeout = timeouts.heartbeatSeconds * 1000;
  const host = taskQueue ? { taskQueue, scheduleToStartTimeout: timeouts.hostWaitSeconds * 1000 } : {};
  const run = proxyActivities<Activities>({ ...host, startToCloseTimeout: '1m', retry });
  const containerSteps = (seconds: number) =>
    proxyActivities<Activities>({
      ...host,
      startToCloseTimeout: seconds * 1000,
      heartbeatTimeout,
      cancellationType,
      retry,
    });
  const git = containerSteps(timeouts.gitStepSeconds);
  const agent = containerSteps(timeouts.agentPhaseSeconds);
  return {
    prepareRun: summarized(run.prepareRun, 'prepare'),
    finishRun: summarized(run.finishRun, 'finish'),
    restoreWorkspace: summarized(git.restoreWorkspace, 'restore the workspace'),
    cloneRepo: summarized(git.cloneRepo, 'clone'),
    initSpecKit: summarized(git.initSpecKit, 'init'),
    runAgentPhase: summarized(agent.runAgentPhase, ({ phase, attempt }) =>
      attempt > 1 ? `${phase} (attempt ${attempt})` : phase,
    ),
    writeClarifications: summarized(run.writeClarifications, 'answer clarifications'),
    commitChanges: summarized(git.commitChanges, 'commit'),
    pushBranch: summarized(git.pushBranch, 'push'),
  };
}

export type SharedActivities = ReturnType<typeof sharedActivities>;
export type HostActivities = ReturnType<typeof hostActivities>;

/** The activity, called with a summary (fixed, or made from its argument) on top of its proxy's options. */
function summarized<A, R>(
  activity: ActivityFunctionWithOptions<(arg: A) => Promise<R>>,
  summary: string | ((arg: A) => string),
): (arg: A) => Promise<R> {
  return (arg) =>
    activity.executeWithOptions({ summary: typeof summary === 'string' ? summary : summary(arg) }, [arg]);
}
