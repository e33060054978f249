import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { constitutionAdvice } from '../agents/constitution.js';
import {
  InvalidRunInputError,
  parseRunInput,
  RUN_ID_PATTERN,
  type RunInput,
  type RunInputRaw,
  type SpecKitPhase,
} from '../run/input.js';
import { statusQuery } from '../run/messages.js';
import type { ConstitutionState } from '../run/status.js';
import type { RunSummary } from '../run/summary.js';
import { ApprovalGate } from './approval-gate.js';
import { ClarificationGate } from './clarification-gate.js';
import { RunHost } from './run-host.js';
import { RunProgress } from './run-progress.js';
import { sharedActivities } from './step-activities.js';

/**
 * One Spec Kit run: clone the repository, run the Spec Kit phases through the agent, commit the
 * result on a feature branch and publish it. Every step runs in its own job container; cleanup and
 * the final record always happen, even when the run fails or is cancelled.
 */
export async function specKitRun(raw: RunInputRaw): Promise<RunSummary> {
  // A run is its workflow: the workflow id is the run id.
  const runId = workflowInfo().workflowId;
  const input = validate(raw, runId);
  const shared = sharedActivities();
  const { mode } = input.publish;
  const progress = new RunProgress(
    runId,
    input.repo,
    [
      'clone',
      'init',
      ...input.phases,
      'commit',
      ...(mode === 'none' ? [] : ['push']),
      ...(mode === 'pr' ? ['pull-request'] : []),
    ],
    (status) => shared.recordStatus({ runId, status }),
  );
  const { repo, baseBranch, timeouts } = input;
  const host = new RunHost(
    { runId, repo, baseBranch },
    timeouts,
    shared,
    (hostId, artifactsDir) => {
      progress.summary.hosts = [...(progress.summary.hosts ?? []), hostId];
      if (artifactsDir) progress.summary.artifactsDir = artifactsDir;
    },
    input,
  );
  const a = { ...shared, ...host.steps };
  setHandler(statusQuery, () => progress.summary);
  const clarificationGate = new ClarificationGate(progress);
  const approvalGate = new ApprovalGate(progress);
  const step = { runId, attempt: 1 };

  let prepared = false;
  try {
    // Else each host that claims the run runs it (RunHost), where the steps run.
    if (!host.preflightOnClaim) await a.preflight({ input, runId });
    const { agent, artifactsDir } = await a.prepareRun({ runId, input });
    prepared = true;
    progress.summary.artifactsDir = artifactsDir;

    await progress.track('clone', () =>
      a.cloneRepo({ ...step, repo: input.repo, baseBranch: input.baseBranch }),
    );
    const init = await progress.track('init', () => a.initSpecKit({ ...step, agent }));
    // Runs initialised before the check existed have no constitution state in their history.
    if (init.constitution) {
      progress.summary.constitution = init.constitution;
      checkConstitution(input.constitution, init.constitution);
    }

    let featureDir: string | undefined;
    let clarifications: string[] = [];
    for (const [i, phase] of input.phases.entries()) {
      const done = await inFreshContainerOnce(phase, (attempt) =>
        progress.track(
          phase,
          () =>
            a.runAgentPhase({
              ...step,
              attempt,
              phase,
              agent,
              specifyText: input.specifyText,
              featureDir,
              stallSeconds: input.timeouts.agentStallSeconds,
            }),
          attempt,
        ),
      );
      featureDir = done.featureDir;
      if (phase === 'specify' || phase === 'clarify') clarifications = done.clarifications;
      if (phase !== lastSpecPhase(input.phases) || clarifications.length === 0) continue;
      checkClarifications(input.clarification, clarifications);
      if (input.clarification === 'wait' && featureDir) {
        const answers = await clarificationGate.answered(
          clarifications,
          input.timeouts.clarificationWaitSeconds,
          input.phases[i + 1] ?? 'commit',
        );
        ({ open: clarifications } = await a.writeClarifications({ runId, featureDir, answers }));
        progress.summary.answeredClarifications = answers;
      }
    }
    if (clarifications.length) progress.summary.clarifications = clarifications;

    const commit = await progress.track('commit', () =>
      a.commitChanges({ ...step, featureDir, phases: input.phases, agentBackend: agent.backend }),
    );
    if (!commit.changed)
      return progress.finish('no_changes', { reason: 'the phases left the working tree unchanged' });
    Object.assign(progress.summary, { branch: commit.branch, commit: commit.commit });
    if (mode === 'none') return progress.finish('succeeded');

    if (input.requireApproval) {
      const wait = { branch: commit.branch, diffStat: commit.diffStat ?? '' };
      const approval = await approvalGate.decided(wait, input.timeouts.approvalWaitSeconds);
      progress.summary.approval = approval;
      if (approval.decision === 'rejected')
        return progress.finish('rejected', { reason: `rejected before publishing: ${approval.reason}` });
    }

    const pushed = await progress.track('push', () =>
      a.pushBranch({ ...step, repo: input.repo, branch: commit.branch }),
    );
    // The remote may have had the name already: the push took the next free one. (A push recorded
    // before pushes reported their branch has none.)
    progress.summary.branch = pushed.branch ?? commit.branch;
    if (mode === 'pr') {
      const pr = await progress.track('pull-request', () =>
        a.openPullRequest({ summary: progress.summary, input, agent, clarifications }),
      );
      progress.summary.pullRequestUrl = pr.url;
    }
    return progress.finish('succeeded');
  } catch (err) {
    progress.finish(isCancellation(err) ? 'cancelled' : 'failed', { error: describe(err) });
    throw err;
  } finally {
    // A run stopped by its preflight allocated nothing and started nothing: there is nothing to clean.
    if (prepared) await CancellationScope.nonCancellable(() => a.finishRun(progress.summary));
  }
}

/** Failures of an agent phase that a second try, in a new container, may not repeat. */
const RETRIED_IN_A_FRESH_CONTAINER = ['PhaseOutputMissing', 'AgentStalled'];

/**
 * Runs an agent phase; when it ended without its document or stalled, runs it once more as attempt
 * 2, which gets a container of its own (the container name carries the attempt).
 */
async function inFreshContainerOnce<T>(
  phase: SpecKitPhase,
  run: (attempt: number) => Promise<T>,
): Promise<T> {
  try {
    return await run(1);
  } catch (err) {
    if (!RETRIED_IN_A_FRESH_CONTAINER.includes(failureType(err) ?? '')) throw err;
    log.warn(`phase ${phase} is retried in a fresh container`, { cause: describe(err) });
    return run(2);
  }
}

function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** The phase after which the spec's clarification markers are final: clarify if it runs, else specify. */
function lastSpecPhase(phases: SpecKitPhase[]): SpecKitPhase {
  return phases.includes('clarify') ? 'clarify' : 'specify';
}

function checkClarifications(policy: RunInput['clarification'], questions: string[]): void {
  if (policy !== 'fail' || questions.length === 0) return;
  throw ApplicationFailure.nonRetryable(
    `the spec needs clarification (clarification: fail):\n${questions.map((q) => `  - ${q}`).join('\n')}\n` +
      'Answer these in the feature description, add the clarify phase, or run with clarification: ignore.',
    'ClarificationNeeded',
  );
}

function checkConstitution(policy: RunInput['constitution'], state: ConstitutionState): void {
  if (policy !== 'require' || state === 'filled') return;
  throw ApplicationFailure.nonRetryable(
    `the repository has no constitution (constitution: require): ${constitutionAdvice(state)}`,
    'ConstitutionMissing',
  );
}

function validate(raw: RunInputRaw, runId: string): RunInput {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw ApplicationFailure.nonRetryable(
      `workflow id ${runId} cannot name a run: use letters, digits, '.', '_' and '-' (at most 100)`,
      'InvalidInput',
    );
  }
  try {
    return parseRunInput(raw);
  } catch (err) {
    if (err instanceof InvalidRunInputError)
      throw ApplicationFailure.nonRetryable(err.message, 'InvalidInput');
    throw err;
  }
}

function describe(err: unknown): string {
  let e = err as Error | undefined;
  // Activity failures wrap the activity's own error, whose message says what to do.
  while (e?.cause instanceof Error) e = e.cause;
  return e?.message ?? String(err);
}
