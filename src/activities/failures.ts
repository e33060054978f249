import { ApplicationFailure } from '@temporalio/common';
import { DockerUnavailableError, JobImageMissingError } from '../containers/errors.js';
import type { StepOutcome } from '../run-summary.js';

/**
 * Failure types the workflow's retry policies never retry: a retry cannot fix them, or (the agent
 * phase's PhaseOutputMissing and AgentStalled) the workflow retries them itself in a fresh container.
 */
export const NON_RETRYABLE = [
  'InvalidInput',
  'JobImageMissing',
  'RepositoryNotFound',
  'RepositoryNotWritable',
  'AgentNotInstalled',
  'AgentAuthFailed',
  'AgentKeyMissing',
  'AgentEndpointUnreachable',
  'PhaseOutputMissing',
  'AgentStalled',
  'StepStopped',
  'PullRequestRejected',
  'ClarificationNeeded',
  'PhaseFailed',
  'PushRejected',
] as const;

export type FailureType =
  | (typeof NON_RETRYABLE)[number]
  | 'DockerUnavailable'
  | 'StepFailed'
  | 'ForgeUnavailable';

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
