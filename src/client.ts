import {
  Client,
  Connection,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { Config } from './config.js';
import { newRunId, runUiUrl, type StartedRun } from './run/identity.js';
import type { RunInputRaw } from './run/input.js';
import {
  type Approval,
  answerClarificationsUpdate,
  approveUpdate,
  type Rejection,
  rejectUpdate,
  statusQuery,
  type UpdateAck,
} from './run/messages.js';
import type { RunSummary } from './run/summary.js';
import { type ValidRunInput, validRunInput } from './run/valid-input.js';
import { queuedRun } from './workflows/search-attributes.js';
import { specKitRun } from './workflows/spec-kit-run.js';

/** Typed access to Spec Kit runs for programs and the CLI: start, watch, wait, cancel. */
export class SpecKitClient {
  private constructor(
    /** The Temporal client underneath, for what this class does not wrap (history, describe). */
    readonly temporal: Client,
    private readonly connection: Connection,
    private readonly config: Config,
  ) {}

  /** `connectTimeoutMs`: how long to wait for the server (the SDK's default: 10 s). */
  static async connect(
    config: Config,
    { connectTimeoutMs }: { connectTimeoutMs?: number } = {},
  ): Promise<SpecKitClient> {
    const connection = await Connection.connect({
      address: config.temporal.address,
      connectTimeout: connectTimeoutMs,
    });
    const client = new Client({ connection, namespace: config.temporal.namespace });
    return new SpecKitClient(client, connection, config);
  }

  /** Validates the input (throwing InvalidRunInputError before anything starts) and starts the run. */
  async startRun(raw: RunInputRaw, runId = newRunId()): Promise<StartedRun> {
    return this.startValidRun(validRunInput(raw), runId);
  }

  /** Starts a run whose input was validated already (validRunInput), as the CLI does before it connects. */
  async startValidRun(input: ValidRunInput, runId = newRunId()): Promise<StartedRun> {
    await this.temporal.workflow.start(specKitRun, {
      workflowId: runId,
      taskQueue: this.config.temporal.taskQueue,
      args: [input],
      // Filterable (SpecKitRepo, SpecKitStatus=queued) before a worker picks the run up.
      typedSearchAttributes: queuedRun(input.repo),
    });
    return { runId, workflowId: runId, uiUrl: this.uiUrl(runId) };
  }

  async status(runId: string): Promise<RunSummary> {
    return this.temporal.workflow.getHandle(runId).query(statusQuery);
  }

  /** Waits for the run to close; a failed or cancelled run answers with its summary too. */
  async result(runId: string): Promise<RunSummary> {
    try {
      return await this.temporal.workflow.getHandle(runId).result();
    } catch (err) {
      if (err instanceof WorkflowFailedError) return this.status(runId);
      throw err;
    }
  }

  /** Answers the questions a run with `clarification: wait` waits on, one answer per question, in order. */
  answerClarifications(runId: string, answers: string[]): Promise<UpdateAck> {
    return this.update(runId, () =>
      this.temporal.workflow
        .getHandle(runId)
        .executeUpdate(answerClarificationsUpdate, { args: [{ answers }] }),
    );
  }

  /** Lets a run with `requireApproval` publish. */
  approve(runId: string, approval: Approval = {}): Promise<UpdateAck> {
    return this.update(runId, () =>
      this.temporal.workflow.getHandle(runId).executeUpdate(approveUpdate, { args: [approval] }),
    );
  }

  /** Ends a run with `requireApproval` as rejected: nothing is pushed. */
  reject(runId: string, rejection: Rejection): Promise<UpdateAck> {
    return this.update(runId, () =>
      this.temporal.workflow.getHandle(runId).executeUpdate(rejectUpdate, { args: [rejection] }),
    );
  }

  /** The run's refusal of an update (not waiting, wrong number of answers) as a RunRefusedUpdateError. */
  private async update(runId: string, send: () => Promise<UpdateAck>): Promise<UpdateAck> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError)
        throw new RunRefusedUpdateError(runId, err.cause?.message ?? err.message);
      if (err instanceof WorkflowNotFoundError)
        throw new RunRefusedUpdateError(runId, 'it is not running: it has finished, or no such run exists');
      throw err;
    }
  }

  async cancel(runId: string): Promise<void> {
    await this.temporal.workflow.getHandle(runId).cancel();
  }

  uiUrl(runId: string): string {
    return runUiUrl(this.config.temporal, runId);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

export class RunRefusedUpdateError extends Error {
  override name = 'RunRefusedUpdateError';
  constructor(
    readonly runId: string,
    reason: string,
  ) {
    super(`run ${runId} refused: ${reason}`);
  }
}
