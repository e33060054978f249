// How `run --wait` reports the run it waited for, however it waited (gRPC or Temporal's HTTP API).
import type { RunSummary } from '../run/summary.js';
import { EXIT } from './exit-codes.js';

/** Prints the run's report (one JSON object with `json`) and returns the CLI's exit code for it. */
export function reportRun(summary: RunSummary, json: boolean | undefined): number {
  console.log(json ? JSON.stringify(jsonReport(summary)) : humanReport(summary));
  return exitCodeFor(summary.status);
}

function exitCodeFor(status: RunSummary['status']): number {
  if (status === 'succeeded' || status === 'no_changes') return EXIT.ok;
  if (status === 'rejected') return EXIT.rejected;
  return status === 'cancelled' ? EXIT.cancelled : EXIT.failed;
}

function jsonReport(s: RunSummary) {
  return {
    runId: s.runId,
    workflowId: s.workflowId,
    status: s.status,
    branch: s.branch ?? null,
    commit: s.commit ?? null,
    artifactsDir: s.artifactsDir ?? null,
    error: s.error ?? null,
    reason: s.reason ?? null,
    constitution: s.constitution ?? null,
    answeredClarifications: s.answeredClarifications ?? [],
    approval: s.approval ?? null,
    steps: s.steps.map((p) => ({
      name: p.name,
      status: p.status,
      exitCode: p.exitCode ?? null,
      durationMs: p.durationMs ?? null,
    })),
  };
}

function humanReport(s: RunSummary): string {
  return [
    `run ${s.runId}: ${s.status}`,
    s.branch && `  branch:    ${s.branch}`,
    s.commit && `  commit:    ${s.commit}`,
    s.artifactsDir && `  artifacts: ${s.artifactsDir}`,
    s.error && `  error:     ${s.error}`,
    s.reason && `  reason:    ${s.reason}`,
  ]
    .filter(Boolean)
    .join('\n');
}
