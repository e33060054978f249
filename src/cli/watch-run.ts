import { setTimeout as sleep } from 'node:timers/promises';
import type { SpecKitClient } from '../client.js';
import type { RunSummary } from '../run/summary.js';
import { ProgressView } from './progress.js';
import { stopWaitingOnCtrlC } from './stop-waiting.js';
import { describeRun, queryStatus, settled } from './temporal.js';
import { WorkerWatch } from './worker-watch.js';

/**
 * How often the run's status is asked. Each query is a round trip through Temporal to the worker,
 * which costs both CPU (measured by the bench's 10-at-once CPU lines): a person watching a run
 * needs no more than one a second, and a run that shows nothing is not asked once a worker has it.
 */
const POLL_MS = 1000;

/**
 * Polls the run's `status` query until a worker answers it and then, with `show`, until the run
 * closes, printing each step as it changes and how long the running one has been running; without
 * `show` it then just waits for the result. When no worker answers, says why (WorkerWatch).
 * `interruptible`: Ctrl-C stops watching, not the run, and says how to follow it.
 */
export async function watchRun(
  client: SpecKitClient,
  runId: string,
  taskQueue: string,
  { show = false, interruptible = false }: { show?: boolean; interruptible?: boolean } = {},
): Promise<RunSummary> {
  const result = client.result(runId);
  const closed = settled(result);
  const view = show ? new ProgressView() : undefined;
  const say = (line: string) => {
    view?.clear();
    console.error(line);
  };
  const watch = new WorkerWatch(client, runId, taskQueue, say);
  let pickedUp = false;
  const stopHandling = interruptible
    ? stopWaitingOnCtrlC(runId, () => (pickedUp ? undefined : taskQueue), say)
    : undefined;
  try {
    while (!closed.done) {
      const current = await queryStatus(client, runId);
      if (current) {
        pickedUp = true;
        watch.answered();
        if (!view) break;
        view.update(current);
        if (view.wantsPendingStep()) {
          view.pendingStep((await describeRun(client, runId).catch(() => undefined))?.pending);
        }
      } else {
        await watch.unanswered();
      }
      view?.tick();
      await pollPause(POLL_MS, result);
    }
    const summary = await result;
    view?.update(summary);
    view?.clear();
    return summary;
  } finally {
    stopHandling?.();
  }
}

/**
 * Waits `ms`, or less when the run closes first, and leaves no timer behind: one still pending
 * would keep the CLI alive for up to `ms` after it printed the result.
 */
async function pollPause(ms: number, closed: Promise<unknown>): Promise<void> {
  const timer = new AbortController();
  try {
    await Promise.race([sleep(ms, undefined, { signal: timer.signal }), closed.catch(() => undefined)]);
  } finally {
    timer.abort();
  }
}
