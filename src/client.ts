import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { Config } from './config.js';
import { assertPublishable } from './publish-target.js';
import { parseRunInput, type RunInput, type RunInputRaw } from './run-input.js';
import type { RunSummary } from './run-summary.js';
import { statusQuery, WORKFLOW_TYPE } from './workflows/definitions.js';
import { queuedRun } from './workflows/search-attributes.js';

export interface StartedRun {
  runId: string;
  workflowId: string;
  uiUrl: string;
}

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
    const input: RunInput = parseRunInput(raw);
    assertPublishable(input);
    await this.temporal.workflow.start(WORKFLOW_TYPE, {
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

  async cancel(runId: string): Promise<void> {
    await this.temporal.workflow.getHandle(runId).cancel();
  }

  uiUrl(workflowId: string): string {
    const { uiUrl, namespace } = this.config.temporal;
    return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

export function newRunId(): string {
  return `sk-${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}
