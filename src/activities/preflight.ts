import { ApplicationFailure } from '@temporalio/common';
import { DockerUnavailableError } from '../containers/errors.js';
import { assertPublishable } from '../publish-target.js';
import type { RunInput } from '../run-input.js';
import type { ActivityDeps } from './deps.js';
import { fromJobError } from './failures.js';

export function createPreflight(deps: ActivityDeps) {
  return {
    /**
     * Before anything starts: the input can be published, the Docker daemon answers and the job
     * image is there. An unreachable daemon is not retried here: a run that cannot start should
     * say so now, not after hours.
     */
    async preflight({ input }: { input: RunInput }): Promise<void> {
      try {
        assertPublishable(input);
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'InvalidInput');
      }
      try {
        await deps.jobs.checkReady(deps.config.jobImage);
      } catch (err) {
        if (err instanceof DockerUnavailableError)
          throw ApplicationFailure.nonRetryable(err.message, 'DockerUnavailable');
        throw fromJobError(err);
      }
    },
  };
}
