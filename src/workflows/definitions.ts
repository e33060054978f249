import { defineQuery } from '@temporalio/workflow';
import type { RunSummary } from '../run-summary.js';

export const WORKFLOW_TYPE = 'specKitRun';

/** The run and each of its steps, as they are now. */
export const statusQuery = defineQuery<RunSummary>('status');
