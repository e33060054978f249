import { ApplicationFailure } from '@temporalio/common';
import { DockerUnavailableError, JobImageMissingError } from '../containers/errors.js';
import { type FailureType, NON_RETRYABLE } from '../run/failures.js';
import type { StepOutcome } from '../run/summary.js';

/** A typed failure; a step that ran carries its outcome (exit code, duration) as details. */
export function failure(type: FailureType, message: string, outcome?: StepOutcome): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: (NON_RETRYABLE as readonly string[]).includes(type),
    details: outcome ? [outcome] : undefined,
  });
}

/** Maps the job runner's typed errors onto Temporal failures; anything else is retried as is. */
export function fromJobError(err: unknown): unknown {
  if (err instanceof JobImageMissingError) return failure('JobImageMissing', err.message);
  if (err instanceof DockerUnavailableError) return failure('DockerUnavailable', err.message);
  return err;
}
