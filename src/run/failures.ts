// The run's failure types, and which of them no retry can fix. Pure: the workflow's retry policies
// and the activities that raise them both read it.

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
