// Clarification answers, approval and the constitution policy: specKitRun's waits for an operator
// and its updates, on the stack's Temporal server with stub activities.
import { WorkflowFailedError, type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { ClarificationWrite } from '../../src/activities/clarifications.js';
import type { RunInputRaw } from '../../src/run/input.js';
import { answerClarificationsUpdate, approveUpdate, rejectUpdate } from '../../src/run/messages.js';
import type { RunStatus, UnfinishedStatus } from '../../src/run/status.js';
import type { RunSummary } from '../../src/run/summary.js';
import type { specKitRun } from '../../src/workflows/spec-kit-run.js';
import { outcome, type Stubs, stubs, temporalCli, useStubWorker } from '../support/stub-worker.js';

const worker = useStubWorker('gates-test');

type Run = WorkflowHandle<typeof specKitRun>;

/** Stub activities that record the agent phases, the database statuses and what was pushed. */
function recording(overrides: Partial<Stubs> = {}) {
  const seen = {
    phases: [] as string[],
    statuses: [] as UnfinishedStatus[],
    pushed: [] as string[],
    written: [] as ClarificationWrite[],
  };
  const activities = stubs({
    runAgentPhase: async (r) => {
      seen.phases.push(r.phase);
      return {
        outcome,
        featureDir: 'specs/001-x',
        clarifications: r.phase === 'specify' ? ['Which provider?', 'How long?'] : [],
      };
    },
    recordStatus: async ({ status }) => {
      seen.statuses.push(status);
    },
    writeClarifications: async (w) => {
      seen.written.push(w);
      return { open: [] };
    },
    pushBranch: async ({ branch }) => {
      seen.pushed.push(branch);
      return { outcome, branch };
    },
    ...overrides,
  });
  return { activities, seen };
}

async function statusOf(run: Run, status: RunStatus): Promise<RunSummary> {
  for (let i = 0; i < 100; i++) {
    const summary = await run.query<RunSummary>('status');
    if (summary.status === status) return summary;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${run.workflowId} never reached ${status}`);
}

async function refusal(update: Promise<unknown>): Promise<string> {
  const err = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause?.message ?? '';
}

async function summaryOf(run: Run): Promise<RunSummary> {
  try {
    return await run.result();
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowFailedError);
    return run.query<RunSummary>('status');
  }
}

const wait: Partial<RunInputRaw> = { clarification: 'wait' };

describe('clarification: wait', () => {
  it('waits with the questions, refuses wrong answers, writes the answers and goes on', async () => {
    const { activities, seen } = recording();
    const run = await worker.start(activities, wait);
    const waiting = await statusOf(run, 'awaiting_clarification');
    expect(waiting.waitingFor).toMatchObject({
      kind: 'clarification',
      questions: ['Which provider?', 'How long?'],
    });
    expect(seen.phases).toEqual(['specify']);

    expect(
      await refusal(run.executeUpdate(answerClarificationsUpdate, { args: [{ answers: ['SES'] }] })),
    ).toMatch(/asks 2 question\(s\) and got 1 answer\(s\)/);
    expect(
      await refusal(run.executeUpdate(answerClarificationsUpdate, { args: [{ answers: ['SES', ' '] }] })),
    ).toMatch(/answer 2 is empty/);
    const ack = await run.executeUpdate(answerClarificationsUpdate, {
      args: [{ answers: ['SES', ' a week '] }],
    });
    expect(ack).toEqual({
      runId: run.workflowId,
      next: 'the answers are written into spec.md, then the run goes on with plan',
    });

    const done = await summaryOf(run);
    expect(done.status).toBe('succeeded');
    // The two refused updates left nothing in the run's history; the accepted one is there once.
    const { events } = await run.fetchHistory();
    const updateEvents = (events ?? []).flatMap((e) =>
      Object.keys(e).filter((key) => key.startsWith('workflowExecutionUpdate') && e[key as keyof typeof e]),
    );
    expect(updateEvents).toEqual([
      'workflowExecutionUpdateAcceptedEventAttributes',
      'workflowExecutionUpdateCompletedEventAttributes',
    ]);
    expect(seen.phases).toEqual(['specify', 'plan', 'tasks']);
    expect(seen.statuses).toEqual(['awaiting_clarification', 'in_progress']);
    const answers = [
      { question: 'Which provider?', answer: 'SES' },
      { question: 'How long?', answer: 'a week' },
    ];
    expect(seen.written).toEqual([{ runId: run.workflowId, featureDir: 'specs/001-x', answers }]);
    expect(done.answeredClarifications).toEqual(answers);
    expect(done.clarifications).toBeUndefined();
    expect(done.waitingFor).toBeUndefined();
  });

  it('refuses answers while the run is not waiting for any', async () => {
    const { activities } = recording({
      runAgentPhase: async () => ({ outcome, featureDir: 'specs/001-x', clarifications: [] }),
    });
    const run = await worker.start(activities, { ...wait, requireApproval: true });
    await statusOf(run, 'awaiting_approval');
    expect(
      await refusal(run.executeUpdate(answerClarificationsUpdate, { args: [{ answers: ['x'] }] })),
    ).toMatch(/is not waiting for clarification answers \(status awaiting_approval\)/);
    await run.cancel();
  });

  it('fails with the questions when nobody answers in time', async () => {
    const { activities, seen } = recording();
    const run = await worker.start(activities, { ...wait, timeouts: { clarificationWaitSeconds: 10 } });
    const done = await summaryOf(run);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(
      /no answers to the spec's questions within 10 s[\s\S]*1\. Which provider\?\n {2}2\. How long\?/,
    );
    expect(seen.phases).toEqual(['specify']);
    expect(seen.pushed).toEqual([]);
  }, 30_000);

  it('is cancelled while it waits, and cleans up', async () => {
    let finished: RunSummary | undefined;
    const { activities } = recording({
      finishRun: async (s) => {
        finished = s;
        return { containersRemoved: 0 };
      },
    });
    const run = await worker.start(activities, wait);
    await statusOf(run, 'awaiting_clarification');
    await run.cancel();
    expect((await summaryOf(run)).status).toBe('cancelled');
    expect(finished?.status).toBe('cancelled');
  });
});

describe('requireApproval', () => {
  const approval: Partial<RunInputRaw> = { requireApproval: true };

  it('stops before publishing with the diff stat, and publishes once approved', async () => {
    const { activities, seen } = recording({
      runAgentPhase: async () => ({ outcome, featureDir: 'specs/001-x', clarifications: [] }),
    });
    const run = await worker.start(activities, approval);
    const waiting = await statusOf(run, 'awaiting_approval');
    expect(waiting.waitingFor).toMatchObject({
      kind: 'approval',
      branch: 'speckit/001-x',
      diffStat: expect.stringContaining('1 file changed'),
    });
    expect(seen.pushed).toEqual([]);
    expect(await refusal(run.executeUpdate(rejectUpdate, { args: [{ reason: '' }] }))).toMatch(
      /needs a reason/,
    );

    const ack = await run.executeUpdate(approveUpdate, { args: [{ by: 'ana', comment: 'ship it' }] });
    expect(ack.next).toBe('the run publishes its branch now');
    const done = await summaryOf(run);
    expect(done.status).toBe('succeeded');
    expect(done.approval).toEqual({ decision: 'approved', by: 'ana', comment: 'ship it' });
    expect(seen.pushed).toEqual(['speckit/001-x']);
    expect(seen.statuses).toEqual(['awaiting_approval', 'in_progress']);
    // A closed run has nothing to update: the server says so before any validator runs.
    await expect(run.executeUpdate(approveUpdate, { args: [{}] })).rejects.toThrow(
      /workflow execution already completed/,
    );
  });

  it('ends rejected with the reason, nothing pushed', async () => {
    const { activities, seen } = recording({
      runAgentPhase: async () => ({ outcome, featureDir: 'specs/001-x', clarifications: [] }),
    });
    const run = await worker.start(activities, approval);
    await statusOf(run, 'awaiting_approval');
    // As an operator sends it without this project's CLI.
    const sent = await temporalCli(
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      run.workflowId,
      '--name',
      'reject',
      '--input',
      '{"reason": "wrong scope", "by": "ana"}',
      '-o',
      'json',
    );
    expect(JSON.parse(sent).result).toEqual({
      runId: run.workflowId,
      next: 'the run ends rejected; nothing is pushed',
    });
    const done = await summaryOf(run);
    expect(done.status).toBe('rejected');
    expect(done.reason).toBe('rejected before publishing: wrong scope');
    expect(done.steps.find((p) => p.name === 'push')?.status).toBe('skipped');
    expect(seen.pushed).toEqual([]);
  });

  it('is refused with publish mode none, before anything starts', async () => {
    const { activities, seen } = recording();
    const run = await worker.start(activities, { ...approval, publish: { mode: 'none' } });
    await expect(run.result()).rejects.toThrow(WorkflowFailedError);
    expect(seen.phases).toEqual([]);
  });
});

describe('constitution policy', () => {
  const template = { initSpecKit: async () => ({ outcome, constitution: 'template' as const }) };

  it('records a template constitution and goes on (warn, the default)', async () => {
    const { activities, seen } = recording({
      ...template,
      runAgentPhase: async (r) => {
        seen.phases.push(r.phase);
        return { outcome, featureDir: 'specs/001-x', clarifications: [] };
      },
    });
    const done = await summaryOf(await worker.start(activities));
    expect(done.status).toBe('succeeded');
    expect(done.constitution).toBe('template');
    expect(seen.phases).toEqual(['specify', 'plan', 'tasks']);
  });

  it('fails before the phases with require', async () => {
    const { activities, seen } = recording(template);
    const done = await summaryOf(await worker.start(activities, { constitution: 'require' }));
    expect(done.status).toBe('failed');
    expect(done.constitution).toBe('template');
    expect(done.error).toMatch(/constitution: require.*still Spec Kit's template.*\/speckit\.constitution/);
    expect(seen.phases).toEqual([]);
  });
});
