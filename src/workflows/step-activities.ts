import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import { NON_RETRYABLE } from '../activities/failures.js';
import type { Activities } from '../activities/index.js';
import type { StepTimeouts } from '../run-input.js';

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
 */
export function stepActivities(timeouts: StepTimeouts) {
  const heartbeatTimeout = timeouts.heartbeatSeconds * 1000;
  return {
    ...pick(proxyActivities<Activities>({ startToCloseTimeout: '1m', retry }), [
      'preflight',
      'prepareRun',
      'finishRun',
    ]),
    // Octokit waits out short rate limits itself (up to a minute) before failing retryably.
    ...pick(proxyActivities<Activities>({ startToCloseTimeout: '3m', retry }), ['openPullRequest']),
    ...pick(
      proxyActivities<Activities>({
        startToCloseTimeout: timeouts.gitStepSeconds * 1000,
        heartbeatTimeout,
        cancellationType,
        retry,
      }),
      ['cloneRepo', 'initSpecKit', 'commitChanges', 'pushBranch'],
    ),
    ...pick(
      proxyActivities<Activities>({
        startToCloseTimeout: timeouts.agentPhaseSeconds * 1000,
        heartbeatTimeout,
        cancellationType,
        retry,
      }),
      ['runAgentPhase'],
    ),
  };
}

// proxyActivities returns a Proxy without own keys, so spreading it would copy nothing.
function pick<T, K extends keyof T>(from: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, from[k]])) as Pick<T, K>;
}
