import { proxyActivities } from '@temporalio/workflow';
import { NON_RETRYABLE } from '../activities/failures.js';
import type { Activities } from '../activities/index.js';
import type { StepTimeouts } from '../run-input.js';

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
        retry,
      }),
      ['cloneRepo', 'initSpecKit', 'commitChanges', 'pushBranch'],
    ),
    ...pick(
      proxyActivities<Activities>({
        startToCloseTimeout: timeouts.agentPhaseSeconds * 1000,
        heartbeatTimeout,
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
