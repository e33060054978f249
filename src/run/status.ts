// The statuses a run moves through, as the workflow reports them, the database records them and
// the SpecKitStatus search attribute shows them. Types only, shared by every side.

export const RUN_STATUSES = [
  'queued',
  'in_progress',
  'awaiting_clarification',
  'awaiting_approval',
  'succeeded',
  'no_changes',
  'rejected',
  'failed',
  'cancelled',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses of an unfinished run that the workflow moves between. */
export type UnfinishedStatus = Extract<
  RunStatus,
  'in_progress' | 'awaiting_clarification' | 'awaiting_approval'
>;

/** What a run found in `.specify/memory/constitution.md` after `specify init`. */
export type ConstitutionState = 'filled' | 'template' | 'missing';
