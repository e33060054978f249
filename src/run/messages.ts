import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RunSummary } from './summary.js';

/** The run and each of its steps, as they are now. */
export const statusQuery = defineQuery<RunSummary>('status');

/** One answer per open question, in the order the run lists them (`status`, SpecKitStatus=awaiting_clarification). */
export interface ClarificationAnswers {
  answers: string[];
}

export interface Approval {
  by?: string;
  comment?: string;
}

export interface Rejection {
  reason: string;
  by?: string;
}

/** What an accepted update tells its caller: what the run does next. */
export interface UpdateAck {
  runId: string;
  next: string;
}

export const answerClarificationsUpdate = defineUpdate<UpdateAck, [ClarificationAnswers]>(
  'answerClarifications',
);
// `temporal workflow update execute --name approve` without --input sends no argument at all.
export const approveUpdate = defineUpdate<UpdateAck, [Approval]>('approve');
export const rejectUpdate = defineUpdate<UpdateAck, [Rejection]>('reject');
