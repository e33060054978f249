// `run --wait` once the run has started: follow it to its end and report it. Loaded after the
// start: it needs the Temporal client, which a start over HTTP does without (temporal-http.ts).
import type { SpecKitClient } from '../client.js';
import type { RunSummary } from '../run/summary.js';
import { EXIT } from './exit-codes.js';
import { watchRun } from './watch-run.js';

/** Follows the run to its end (showing each step unless `json`), reports it, returns the exit code. */
export async function waitForRun(
  client: SpecKitClient,
  runId: string,
  opts: { json?: boolean },
  taskQueue: string,
): Promise<number> {
  const summary = await watchRun(client, runId, taskQueue, { show: !opts.json, interruptible: true });
  console.log(opts.json ? JSON.stringify(jsonReport(summary)) : humanReport(summary));
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
