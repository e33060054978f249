// What a run reports about itself: returned by the workflow, its `status` query and the CLI's
// `--json` output. Types only, shared by workflow and client code.
import type { ConstitutionState, RunStatus } from './status.js';

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';

export interface StepSummary {
  name: string;
  status: StepStatus;
  exitCode?: number;
  durationMs?: number;
  /** Set when the step ran more than once in fresh containers (agent phases: at most 2). */
  attempt?: number;
}

export interface RunSummary {
  runId: string;
  workflowId: string;
  status: RunStatus;
  repo: string;
  branch?: string;
  commit?: string;
  artifactsDir?: string;
  pullRequestUrl?: string;
  /** Questions of the [NEEDS CLARIFICATION] markers the spec still holds. */
  clarifications?: string[];
  /** Questions an operator answered (clarification: wait); the answers were written into spec.md. */
  answeredClarifications?: ClarificationAnswer[];
  /** Set while the run waits for an operator (status awaiting_clarification or awaiting_approval). */
  waitingFor?: OperatorWait;
  /** The operator's decision on publishing (requireApproval). */
  approval?: ApprovalDecision;
  /** Whether the repository's constitution was filled in or still Spec Kit's template. */
  constitution?: ConstitutionState;
  error?: string;
  /** Why a run that did not fail published nothing (no_changes). */
  reason?: string;
  /** Set once cleanup ran: containers removed, or why that failed. */
  cleanup?: { containersRemoved: number; error?: string };
  steps: StepSummary[];
  /** The worker hosts that held the run's workspace, in order: more than one when a host was lost. */
  hosts?: string[];
}

export interface ClarificationAnswer {
  question: string;
  answer: string;
}

export type OperatorWait = { since: string; deadline: string } & (
  | { kind: 'clarification'; questions: string[] }
  | { kind: 'approval'; branch?: string; diffStat: string }
);

export type ApprovalDecision =
  | { decision: 'approved'; by?: string; comment?: string }
  | { decision: 'rejected'; by?: string; reason: string };

/** What each container step hands back to the workflow. */
export interface StepOutcome {
  exitCode: number;
  durationMs: number;
  containerId: string;
}
