import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  InvalidRunInputError,
  parseRunInput,
  RUN_ID_PATTERN,
  type RunInput,
  type RunInputRaw,
} from '../run-input.js';
import type { RunSummary } from '../run-summary.js';
import { statusQuery } from './definitions.js';
import { RunProgress } from './run-progress.js';
import { stepActivities } from './step-activities.js';

/**
 * One Spec Kit run: clone the repository, run the Spec Kit phases through the agent, commit the
 * result on a feature branch and publish it. Every step runs in its own job container; cleanup and
 * the final record always happen, even when the run fails or is cancelled.
 */
export async function specKitRun(raw: RunInputRaw): Promise<RunSummary> {
  const { workflowId } = workflowInfo();
  const runId = workflowId;
  const input = validate(raw, runId);
  const {
    preflight,
    prepareRun,
    cloneRepo,
    initSpecKit,
    runAgentPhase,
    commitChanges,
    pushBranch,
    finishRun,
  } = stepActivities(input.timeouts);
  const publishes = input.publish.mode === 'branch';
  const progress = new RunProgress(runId, workflowId, input.repo, [
    'clone',
    'init',
    ...input.phases,
    'commit',
    ...(publishes ? ['push'] : []),
  ]);
  setHandler(statusQuery, () => progress.summary);
  const step = { runId, workflowId, attempt: 1 };

  try {
    await preflight();
    const { agent, artifactsDir } = await prepareRun({ runId, workflowId, input });
    progress.summary.artifactsDir = artifactsDir;

    await progress.track('clone', () =>
      cloneRepo({ ...step, repo: input.repo, baseBranch: input.baseBranch }),
    );
    await progress.track('init', () => initSpecKit({ ...step, agentBackend: agent.backend }));

    let featureDir: string | undefined;
    for (const phase of input.phases) {
      const done = await progress.track(phase, () =>
        runAgentPhase({ ...step, phase, agent, specifyText: input.specifyText, featureDir }),
      );
      featureDir = done.featureDir;
    }

    const commit = await progress.track('commit', () =>
      commitChanges({
        ...step,
        featureDir: featureDir as string,
        phases: input.phases,
        agentBackend: agent.backend,
      }),
    );
    if (!commit.changed) return progress.finish('no_changes', 'the phases left the working tree unchanged');
    Object.assign(progress.summary, { branch: commit.branch, commit: commit.commit });

    if (publishes)
      await progress.track('push', () => pushBranch({ ...step, repo: input.repo, branch: commit.branch }));
    return progress.finish('succeeded');
  } catch (err) {
    progress.finish(isCancellation(err) ? 'cancelled' : 'failed', describe(err));
    throw err;
  } finally {
    await CancellationScope.nonCancellable(() => finishRun(progress.summary));
  }
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
