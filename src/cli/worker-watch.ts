import type { SpecKitClient } from '../client.js';
import { describeRun, isTemporalUnavailable, pollingWorkers } from './temporal.js';
import { noWorkerPolls } from './worker-hints.js';

/**
 * Watches a run from the CLI while it waits on it: says once when no worker polls its task queue
 * (or when workers poll it but none picks the run up), and once when a worker has it again.
 */
export class WorkerWatch {
  private lastCheck = 0;
  private warned = false;
  private readonly since = Date.now();

  constructor(
    private readonly client: SpecKitClient,
    private readonly runId: string,
    private readonly taskQueue: string,
    private readonly say: (line: string) => void = (line) => console.error(line),
    /** Not before this long: a polling worker picks a new run up within milliseconds. */
    private readonly graceMs = 2_000,
    private readonly everyMs = 2_000,
  ) {}

  /** The run's status query answered: a worker has the run. */
  answered(): void {
    if (!this.warned) return;
    this.warned = false;
    this.say(`a worker picked up run ${this.runId}`);
  }

  /** The status query went unanswered: find out why, at most every `everyMs`. */
  async unanswered(): Promise<void> {
    const now = Date.now();
    if (this.warned || now - this.since < this.graceMs || now - this.lastCheck < this.everyMs) return;
    this.lastCheck = now;
    const [execution, workers] = await Promise.all([
      describeRun(this.client, this.runId),
      pollingWorkers(this.client, this.taskQueue),
    ]).catch((err) => {
      if (isTemporalUnavailable(err)) throw err;
      return [undefined, undefined] as const;
    });
    if (execution?.status !== 'RUNNING' || workers === undefined) return;
    if (workers === 0) {
      this.warn(
        noWorkerPolls(
          this.taskQueue,
          this.runId,
          execution.queued ? undefined : 'is stalled until one polls it',
        ),
      );
    } else if (execution.queued && now - execution.startTime.getTime() >= 10_000) {
      this.warn(
        `${workers} worker(s) poll task queue ${this.taskQueue}, but none has picked up run ${this.runId} ` +
          `in ${Math.round((now - execution.startTime.getTime()) / 1000)}s: see their logs`,
      );
    }
  }

  private warn(line: string): void {
    this.warned = true;
    this.say(`warning: ${line}`);
  }
}
