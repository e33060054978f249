import { ActivityFailure, ApplicationFailure, condition, isCancellation } from '@temporalio/workflow';
import type { RunStatus, UnfinishedStatus } from '../run/status.js';
import type { OperatorWait, RunSummary, StepOutcome, StepSummary } from '../run/summary.js';
import { RunSearchAttributes } from './search-attributes.js';

/**
 * The run's state as the `status` query reports it, updated as the workflow moves along; its repo,
 * status and current step are also the run's search attributes (SpecKitRepo, SpecKitStatus, SpecKitPhase).
 */
export class RunProgress {
  readonly summary: RunSummary;
  private readonly searchAttributes = new RunSearchAttributes();

  /** `record` writes the run's status to the database as it starts and stops waiting for an operator. */
  constructor(
    runId: string,
    repo: string,
    steps: string[],
    private readonly record: (status: UnfinishedStatus) => Promise<unknown>,
  ) {
    this.summary = {
      runId,
      // The summary's readers (CLI --json, summary.json) name it both ways; it is one id.
      workflowId: runId,
      repo,
      status: 'in_progress',
      steps: steps.map((name) => ({ name, status: 'pending' })),
    };
    this.searchAttributes.set({ repo, status: 'in_progress' });
  }

  step(name: string): StepSummary {
    const step = this.summary.steps.find((p) => p.name === name);
    if (!step) throw new Error(`unknown step ${name}`);
    return step;
  }

  /**
   * Runs one step, tracking its status; the step's own failure propagates unchanged. Container
   * steps report their outcome (exit code, duration); other steps have none.
   */
  async track<T extends object>(name: string, run: () => Promise<T>, attempt = 1): Promise<T> {
    const step = this.step(name);
    step.status = 'running';
    if (attempt > 1) step.attempt = attempt;
    this.searchAttributes.set({ phase: name });
    try {
      const result = await run();
      const { outcome } = result as { outcome?: StepOutcome };
      Object.assign(step, {
        status: 'succeeded',
        exitCode: outcome?.exitCode,
        durationMs: outcome?.durationMs,
      });
      return result;
    } catch (err) {
      step.status = isCancellation(err) ? 'cancelled' : 'failed';
      Object.assign(step, failedOutcome(err));
      throw err;
    }
  }

  /**
   * Waits until `decided()` holds or `timeoutSeconds` pass, with the run's status (query, search
   * attribute, database) saying what it waits for. A timer in the workflow: no worker slot is held
   * and a worker restart changes nothing. Returns whether it was decided in time.
   */
  async awaitOperator(
    wait: DistributiveOmit<OperatorWait, 'since' | 'deadline'>,
    timeoutSeconds: number,
    decided: () => boolean,
  ): Promise<boolean> {
    const status = wait.kind === 'clarification' ? 'awaiting_clarification' : 'awaiting_approval';
    const since = Date.now();
    this.summary.waitingFor = {
      ...wait,
      since: new Date(since).toISOString(),
      deadline: new Date(since + timeoutSeconds * 1000).toISOString(),
    } as OperatorWait;
    await this.moveTo(status);
    const inTime = await condition(decided, timeoutSeconds * 1000);
    // A run whose wait ran out fails, and its end is recorded by finishRun.
    if (inTime) {
      this.summary.waitingFor = undefined;
      await this.moveTo('in_progress');
    }
    return inTime;
  }

  private async moveTo(status: UnfinishedStatus): Promise<void> {
    this.summary.status = status;
    this.searchAttributes.set({ status });
    await this.record(status);
  }

  finish(status: RunStatus, why: { error?: string; reason?: string } = {}): RunSummary {
    this.summary.status = status;
    this.summary.waitingFor = undefined;
    this.searchAttributes.set({ status });
    Object.assign(this.summary, why);
    for (const step of this.summary.steps) {
      if (step.status === 'pending') step.status = 'skipped';
    }
    return this.summary;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A step that ran and failed carries its outcome in the failure's details (see activities/failures). */
function failedOutcome(err: unknown): Partial<StepOutcome> {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) return {};
  const outcome = cause.details?.[0] as Partial<StepOutcome> | undefined;
  return outcome ? { exitCode: outcome.exitCode, durationMs: outcome.durationMs } : {};
}
