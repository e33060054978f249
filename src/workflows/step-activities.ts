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

/**
 * The run's activities with its timeouts. Container steps heartbeat while their container runs, so
 * a dead worker is noticed after one heartbeat timeout and the retry re-attaches to the container.
 * Each call carries the step's name as its summary, which the Temporal UI shows on the timeline
 * (`specify`, `plan`, `tasks` rather than `runAgentPhase` three times).
 */
export function stepActivities(timeouts: StepTimeouts) {
  const heartbeatTimeout = timeouts.heartbeatSeconds * 1000;
  const run = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry });
  // Octokit waits out short rate limits itself (up to a minute) before failing retryably.
  const forge = proxyActivities<Activities>({ startToCloseTimeout: '3m', retry });
  const git = proxyActivities<Activities>({
    startToCloseTimeout: timeouts.gitStepSeconds * 1000,
    heartbeatTimeout,
    cancellationType,
    retry,
  });
  const agent = proxyActivities<Activities>({
    startToCloseTimeout: timeouts.agentPhaseSeconds * 1000,
    heartbeatTimeout,
    cancellationType,
    retry,
  });
  return {
    preflight: summarized(run.preflight, 'preflight'),
    prepareRun: summarized(run.prepareRun, 'prepare'),
    finishRun: summarized(run.finishRun, 'finish'),
    recordStatus: summarized(run.recordStatus, ({ status }) => `status ${status}`),
    cloneRepo: summarized(git.cloneRepo, 'clone'),
    initSpecKit: summarized(git.initSpecKit, 'init'),
    runAgentPhase: summarized(agent.runAgentPhase, ({ phase, attempt }) =>
      attempt > 1 ? `${phase} (attempt ${attempt})` : phase,
    ),
    writeClarifications: summarized(run.writeClarifications, 'answer clarifications'),
    commitChanges: summarized(git.commitChanges, 'commit'),
    pushBranch: summarized(git.pushBranch, 'push'),
    openPullRequest: summarized(forge.openPullRequest, 'pull-request'),
  };
}

/** The activity, called with a summary (fixed, or made from its argument) on top of its proxy's options. */
function summarized<A, R>(
  activity: ActivityFunctionWithOptions<(arg: A) => Promise<R>>,
  summary: string | ((arg: A) => string),
): (arg: A) => Promise<R> {
  return (arg) =>
    activity.executeWithOptions({ summary: typeof summary === 'string' ? summary : summary(arg) }, [arg]);
}
