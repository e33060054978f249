import type { RunSummary, StepSummary } from '../run-summary.js';

const MARK: Record<StepSummary['status'], string> = {
  pending: ' ',
  running: '▶',
  succeeded: '✔',
  failed: '✖',
  cancelled: '■',
  skipped: '-',
};

/** Prints one line for every step whose status changed since the previous snapshot. */
export function printStepChanges(previous: RunSummary | undefined, current: RunSummary): void {
  for (const step of current.phases) {
    const before = previous?.phases.find((p) => p.name === step.name)?.status ?? 'pending';
    if (step.status === before || step.status === 'pending') continue;
    const details = [
      step.exitCode !== undefined && step.status !== 'succeeded' ? `exit ${step.exitCode}` : '',
      step.durationMs !== undefined ? `${(step.durationMs / 1000).toFixed(1)}s` : '',
    ].filter(Boolean);
    console.log(
      `  ${MARK[step.status]} ${step.name.padEnd(10)} ${step.status}${details.length ? ` (${details.join(', ')})` : ''}`,
    );
  }
}
