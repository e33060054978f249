import {
  defineSearchAttributeKey,
  type SearchAttributePair,
  SearchAttributeType,
  type SearchAttributeUpdatePair,
} from '@temporalio/common';
import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { queuedRunAttributes, SEARCH_ATTRIBUTE } from '../run/identity.js';
import type { RunStatus } from '../run/status.js';

export const REPO = keyword(SEARCH_ATTRIBUTE.repo);
export const STATUS = keyword(SEARCH_ATTRIBUTE.status);
export const PHASE = keyword(SEARCH_ATTRIBUTE.phase);

/** Runs recorded before the attributes existed have no upserts in their history and replay without them. */
export const SEARCH_ATTRIBUTES_PATCH = 'search-attributes';

/** What the client starts a run with, so the run can be found before a worker picks it up. */
export function queuedRun(repo: string): SearchAttributePair[] {
  return Object.entries(queuedRunAttributes(repo)).map(([name, value]) => ({ key: keyword(name), value }));
}

function keyword(name: string) {
  return defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);
}

/** The run's search attributes, upserted as it moves; a value it already has is not sent again. */
export class RunSearchAttributes {
  private readonly enabled = patched(SEARCH_ATTRIBUTES_PATCH);

  set(values: { repo?: string; status?: RunStatus; phase?: string }): void {
    if (!this.enabled) return;
    const current = workflowInfo().typedSearchAttributes;
    const pairs: SearchAttributeUpdatePair[] = [];
    for (const [key, value] of [
      [REPO, values.repo],
      [STATUS, values.status],
      [PHASE, values.phase],
    ] as const) {
      if (value !== undefined && current.get(key) !== value) pairs.push({ key, value });
    }
    if (pairs.length) upsertSearchAttributes(pairs);
  }
}
