import type { RunSummary, StepSummary } from '../run/summary.js';
import { elapsed } from './format.js';
import { operatorWaitLines } from './operator-wait.js';
import { isPendingStep, type PendingStep } from './temporal.js';

const MARK: Record<StepSummary['status'], string> = {
  pending: ' ',
  running: '▶',
  succeeded: '✔',
  failed: '✖',
  cancelled: '■',
  skipped: '-',
};

interface Running {
  name: string;
  /** When the step (its current attempt) started: Temporal's, else when the CLI first saw it. */
  since: Date;
  fromTemporal: boolean;
  /** The step's attempt (agent phases run at most twice, each in a fresh container). */
  attempt?: number;
  /** Temporal's retries of the step's activity. */
  activityAttempt: number;
  activityState: PendingStep['state'];
  lastFailure?: string;
  lookups: number;
  lastLookup: number;
  lastPrinted: number;
}

/**
 * What `run --wait` shows while it waits: one line for every step whose status changed and, while a
 * step runs, how long it has been running. On a terminal that is one live line, redrawn every
 * second; elsewhere a line every `heartbeatMs`, so a log of a long phase is never silent.
 */
export class ProgressView {
  private previous?: RunSummary;
  private running?: Running;
  private liveLine = false;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly tty = Boolean(process.stdout.isTTY),
    private readonly heartbeatMs = 30_000,
  ) {}

  /** A snapshot from the status query (or the final summary): prints what changed. */
  update(current: RunSummary): void {
    for (const step of current.steps) {
      const before = this.previous?.steps.find((p) => p.name === step.name)?.status ?? 'pending';
      if (step.status === before || step.status === 'pending') continue;
      // On a terminal the live line shows a running step.
      if (!(this.tty && step.status === 'running')) this.print(stepLine(step));
    }
    const wait = current.waitingFor;
    if (wait && wait.since !== this.previous?.waitingFor?.since) {
      for (const line of operatorWaitLines(current.runId, wait)) this.print(line);
    }
    this.previous = current;
    const step = current.steps.find((p) => p.status === 'running');
    if (!step) {
      this.running = undefined;
    } else if (this.running?.name !== step.name || (this.running.attempt ?? 1) !== (step.attempt ?? 1)) {
      const now = Date.now();
      this.running = {
        name: step.name,
        since: new Date(now),
        fromTemporal: false,
        attempt: step.attempt,
        activityAttempt: 1,
        activityState: 'started',
        lookups: 0,
        lastLookup: 0,
        lastPrinted: now,
      };
    }
  }

  /**
   * Whether Temporal's pending activity should be looked up now: when a step has just started (its
   * start time), and then now and again (a retried attempt, its last failure).
   */
  wantsPendingStep(): boolean {
    const r = this.running;
    if (!r) return false;
    const now = Date.now();
    if (!r.fromTemporal) return r.lookups < 5 && now - r.lastLookup >= 1_000;
    return now - r.lastLookup >= Math.min(this.heartbeatMs, 10_000);
  }

  /** Temporal's pending activity, when it belongs to the running step. */
  pendingStep(p: PendingStep | undefined): void {
    const r = this.running;
    if (!r) return;
    r.lookups++;
    r.lastLookup = Date.now();
    if (!isPendingStep(p, r.name)) return;
    // Waiting to retry: the step still counts from the attempt that failed.
    if (!(r.fromTemporal && p.state === 'scheduled' && p.attempt > 1)) r.since = p.since;
    r.fromTemporal = true;
    r.activityAttempt = p.attempt;
    r.activityState = p.state;
    r.lastFailure = p.attempt > 1 ? p.lastFailure : undefined;
  }

  /** Redraws the live line (terminal) or prints a line every `heartbeatMs` (elsewhere). */
  tick(): void {
    const r = this.running;
    if (!r) return;
    const now = Date.now();
    if (this.tty) {
      const width = this.out.columns || 100;
      this.out.write(`\r\x1b[2K${this.runningLine(r, now).slice(0, width - 1)}`);
      this.liveLine = true;
    } else if (now - r.lastPrinted >= this.heartbeatMs) {
      r.lastPrinted = now;
      this.print(this.runningLine(r, now));
    }
  }

  /** Clears the live line, so that other output starts on a clean line. */
  clear(): void {
    if (!this.liveLine) return;
    this.out.write('\r\x1b[2K');
    this.liveLine = false;
  }

  private runningLine(r: Running, now: number): string {
    const retry =
      r.activityAttempt > 1
        ? ` (activity attempt ${r.activityAttempt}${r.activityState === 'scheduled' ? ', waiting to retry' : ''}${r.lastFailure ? `, last failure: ${r.lastFailure.split('\n')[0]}` : ''})`
        : '';
    return `  ${MARK.running} ${r.name.padEnd(10)} running for ${elapsed(now - r.since.getTime())}${retry}`;
  }

  private print(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
  }
}

function stepLine(step: StepSummary): string {
  const details = [
    step.exitCode !== undefined && step.status !== 'succeeded' ? `exit ${step.exitCode}` : '',
    step.durationMs !== undefined ? `${(step.durationMs / 1000).toFixed(1)}s` : '',
  ].filter(Boolean);
  return `  ${MARK[step.status]} ${step.name.padEnd(10)} ${step.status}${details.length ? ` (${details.join(', ')})` : ''}`;
}
