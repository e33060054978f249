/** What makes a job container unique: a run's step, at the workflow's attempt for that step. */
export interface JobIdentity {
  /** The run's id, which is also its Temporal workflow id. */
  runId: string;
  step: string;
  attempt: number;
}

export const LABELS = {
  managed: 'speckit.managed',
  runId: 'speckit.run-id',
  step: 'speckit.step',
  attempt: 'speckit.attempt',
  expiresAt: 'speckit.expires-at',
  /** The worker host whose workspace the container works in. */
  host: 'speckit.host',
} as const;

export function jobName({ runId, step, attempt }: JobIdentity): string {
  return `speckit-${runId}-${step}-${attempt}`;
}

export function jobLabels(id: JobIdentity, expiresAt: Date): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.runId]: id.runId,
    [LABELS.step]: id.step,
    [LABELS.attempt]: String(id.attempt),
    [LABELS.expiresAt]: expiresAt.toISOString(),
  };
}
