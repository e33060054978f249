// How a run is named and found: its id, its workflow type, the search attributes it starts with,
// its page in the Temporal UI. Plain values without the Temporal SDK, so that the CLI can start a
// run without loading it (cli/temporal-http.ts); no Node.js module either: workflow code imports them.
import type { RunStatus } from './status.js';

/** The run workflow's type: specKitRun's name, as Temporal records it. */
export const WORKFLOW_TYPE = 'specKitRun';

/**
 * Keyword search attributes the stack registers (scripts/stack.sh): filter runs by them in the
 * Temporal UI and with `temporal workflow list --query`.
 */
export const SEARCH_ATTRIBUTE = {
  repo: 'SpecKitRepo',
  status: 'SpecKitStatus',
  phase: 'SpecKitPhase',
} as const;

export interface StartedRun {
  runId: string;
  workflowId: string;
  uiUrl: string;
}

/** A run's id, which is also its workflow id. */
export function newRunId(): string {
  return `sk-${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/** What a run starts with, so that it can be found before a worker picks it up. */
export function queuedRunAttributes(repo: string): Record<string, string> {
  return { [SEARCH_ATTRIBUTE.repo]: repo, [SEARCH_ATTRIBUTE.status]: 'queued' satisfies RunStatus };
}

export function runUiUrl(temporal: { uiUrl: string; namespace: string }, runId: string): string {
  return `${temporal.uiUrl}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(runId)}`;
}
