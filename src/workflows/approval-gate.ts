import { ApplicationFailure, setHandler, workflowInfo } from '@temporalio/workflow';
import { type Approval, approveUpdate, type Rejection, rejectUpdate } from '../run/messages.js';
import type { ApprovalDecision } from '../run/summary.js';
import type { RunProgress } from './run-progress.js';

const MAX_TEXT_CHARS = 2000;

/**
 * `requireApproval`: the run stops before publishing, with its diff stat in its status, until an
 * operator's `approve` or `reject` update.
 */
export class ApprovalGate {
  private waiting = false;
  private decision: ApprovalDecision | undefined;

  constructor(private readonly progress: RunProgress) {
    const runId = () => workflowInfo().workflowId;
    setHandler(
      approveUpdate,
      (approval) => {
        this.decision = { decision: 'approved', by: approval?.by, comment: approval?.comment };
        return { runId: runId(), next: 'the run publishes its branch now' };
      },
      { validator: (approval) => this.validate(approval ?? {}) },
    );
    setHandler(
      rejectUpdate,
      (rejection) => {
        this.decision = { decision: 'rejected', by: rejection.by, reason: rejection.reason.trim() };
        return { runId: runId(), next: 'the run ends rejected; nothing is pushed' };
      },
      {
        validator: (rejection) => {
          this.validate(rejection ?? {});
          if (typeof rejection?.reason !== 'string' || rejection.reason.trim() === '')
            throw new Error('a rejection needs a reason: {"reason": "…"}');
        },
      },
    );
  }

  /** Waits for the decision; a wait longer than `timeoutSeconds` fails the run, nothing published. */
  async decided(
    wait: { branch?: string; diffStat: string },
    timeoutSeconds: number,
  ): Promise<ApprovalDecision> {
    this.waiting = true;
    const inTime = await this.progress.awaitOperator({ kind: 'approval', ...wait }, timeoutSeconds, () =>
      Boolean(this.decision),
    );
    this.waiting = false;
    if (!inTime || !this.decision) {
      throw ApplicationFailure.nonRetryable(
        `nobody approved or rejected publishing within ${timeoutSeconds} s (timeouts.approvalWaitSeconds); nothing was pushed`,
        'ApprovalTimedOut',
      );
    }
    return this.decision;
  }

  private validate(update: Partial<Approval & Rejection>): void {
    if (!this.waiting || this.decision) {
      throw new Error(
        `run ${workflowInfo().workflowId} is not waiting for approval (status ${this.progress.summary.status})`,
      );
    }
    for (const [field, value] of Object.entries(update)) {
      if (value !== undefined && (typeof value !== 'string' || value.length > MAX_TEXT_CHARS))
        throw new Error(`${field} must be text of at most ${MAX_TEXT_CHARS} characters`);
    }
  }
}
