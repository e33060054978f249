import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { RunStatus } from '../db/run-records.js';
import type { RunSummary, StepOutcome, StepSummary } from '../run-summary.js';
import { RunSearchAttributes } from './search-attributes.js';

/**
 * The run's state as the `status` query reports it, updated as the workflow moves along; its repo,
 * status and current step are also the run's search attributes (SpecKitRepo, SpecKitStatus, SpecKitPhase).
 */
export class RunProgress {
  readonly summary: RunSummary;
  private readonly searchAttributes = new RunSearchAttributes();

  constructor(runId: string, workflowId: string, repo: string, steps: string[]) {
    this.summary = {
      runId,
      workflowId,
      repo,
      status: 'in_progress',
      phases: steps.map((name) => ({ name, status: 'pending' })),
    };
    this.searchAttributes.set({ repo, status: 'in_progress' });
  }

  step(name: string): StepSummary {
    const step = this.summary.phases.find((p) => p.name === name);
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

  finish(status: RunStatus, why: { error?: string; reason?: string } = {}): RunSummary {
    this.summary.status = status;
    this.searchAttributes.set({ status });
    Object.assign(this.summary, why);
    for (const step of this.summary.phases) {
      if (step.status === 'pending') step.status = 'skipped';
    }
    return this.summary;
  }
}

/** A step that ran and failed carries its outcome in the failure's details (see activities/failures). */
function failedOutcome(err: unknown): Partial<StepOutcome> {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) return {};
  const outcome = cause.details?.[0] as Partial<StepOutcome> | undefined;
  return outcome ? { exitCode: outcome.exitCode, durationMs: outcome.durationMs } : {};
}
