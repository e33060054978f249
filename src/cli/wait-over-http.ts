// `run --wait --json` with TEMPORAL_HTTP_URL: the run's end through Temporal's HTTP API, so a
// script waiting on a run never loads the gRPC client. Showing each step (`--wait` alone) asks the
// run's status every second and describes its pending step: that goes over gRPC (run-outcome.ts).
import type { Config } from '../config.js';
import { reportRun } from './run-report.js';
import { stopWaitingOnCtrlC } from './stop-waiting.js';
import { pollingWorkersOverHttp, runResultOverHttp } from './temporal-http.js';
import { warnIfNoWorker } from './worker-hints.js';

/** Says when no worker polls the run's queue, waits for the run's end, reports it, returns the exit code. */
export async function waitOverHttp(
  httpUrl: string,
  temporal: Config['temporal'],
  runId: string,
): Promise<number> {
  const workers = await pollingWorkersOverHttp(httpUrl, temporal);
  warnIfNoWorker(workers, runId, temporal.taskQueue);
  const stopHandling = stopWaitingOnCtrlC(runId, () => (workers === 0 ? temporal.taskQueue : undefined));
  try {
    return reportRun(await runResultOverHttp(httpUrl, temporal, runId), true);
  } finally {
    stopHandling();
  }
}
