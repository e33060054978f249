// `run --wait` once the run has started: follow it to its end and report it. Loaded after the
// start: it needs the Temporal client, which a start over HTTP does without (temporal-http.ts).
import type { SpecKitClient } from '../client.js';
import { reportRun } from './run-report.js';
import { watchRun } from './watch-run.js';

/** Follows the run to its end (showing each step unless `json`), reports it, returns the exit code. */
export async function waitForRun(
  client: SpecKitClient,
  runId: string,
  opts: { json?: boolean },
  taskQueue: string,
): Promise<number> {
  const summary = await watchRun(client, runId, taskQueue, { show: !opts.json, interruptible: true });
  return reportRun(summary, opts.json);
}
