import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { SpecKitClient } from '../../src/client.js';
import { loadConfig } from '../../src/config.js';
import type { RunInputRaw } from '../../src/run/input.js';
import { PHASE, REPO, STATUS } from '../../src/workflows/search-attributes.js';
import { outcome, type Stubs, stubs, temporalCli, useStubWorker } from '../support/stub-worker.js';

const worker = useStubWorker('search-attributes-test');

/** A repository no other run names, so a query by it finds this run only. */
const uniqueRepo = () => `/srv/git/sa-${Math.random().toString(36).slice(2)}.git`;

function start(activities: Stubs, input: Partial<RunInputRaw> = {}): Promise<WorkflowHandle> {
  return worker.start(activities, { repo: uniqueRepo(), ...input });
}

async function settled(handle: WorkflowHandle): Promise<void> {
  await handle.result().catch(() => undefined);
}

async function attributesOf(handle: WorkflowHandle) {
  const { typedSearchAttributes: sa } = await handle.describe();
  return { repo: sa.get(REPO), status: sa.get(STATUS), phase: sa.get(PHASE) };
}

/** Visibility is eventually consistent: polls `probe` until it answers, for at most `ms`. */
async function eventually<T>(probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not found within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function listed(query: string): Promise<string[] | undefined> {
  const ids: string[] = [];
  for await (const wf of worker.env.client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids.length ? ids : undefined;
}

/** The summaries the timeline shows, in the order the activities were scheduled. */
async function activitySummaries(handle: WorkflowHandle): Promise<Array<[string, string | undefined]>> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events
    .filter((e) => e.activityTaskScheduledEventAttributes)
    .map((e) => {
      const summary = e.userMetadata?.summary;
      return [
        e.activityTaskScheduledEventAttributes?.activityType?.name ?? '',
        summary ? defaultPayloadConverter.fromPayload<string>(summary) : undefined,
      ];
    });
}

describe('a succeeded run', () => {
  let handle: WorkflowHandle;
  let repo: string;

  beforeAll(async () => {
    repo = uniqueRepo();
    handle = await start(stubs(), { repo });
    await settled(handle);
  });

  it('carries its repo, its final status and its last step', async () => {
    expect(await attributesOf(handle)).toEqual({ repo, status: 'succeeded', phase: 'push' });
  });

  it('is found by a visibility query on status and repo', async () => {
    const query = `SpecKitStatus="succeeded" AND SpecKitRepo="${repo}"`;
    expect(await eventually(() => listed(query))).toEqual([handle.workflowId]);
    expect(await listed(`SpecKitStatus="in_progress" AND SpecKitRepo="${repo}"`)).toBeUndefined();
  });

  it('is found by `temporal workflow list --query`', async () => {
    const query = `SpecKitStatus="succeeded" AND SpecKitRepo="${repo}" AND SpecKitPhase="push"`;
    const ids = await eventually(async () => {
      const stdout = await temporalCli('workflow', 'list', '--query', query, '-o', 'json');
      const runs = (stdout.trim() ? JSON.parse(stdout) : []) as Array<{ execution: { workflowId: string } }>;
      return runs.length ? runs.map((r) => r.execution.workflowId) : undefined;
    });
    expect(ids).toEqual([handle.workflowId]);
  });

  it('names each step on the timeline', async () => {
    expect(await activitySummaries(handle)).toEqual([
      ['claimHost', 'preflight, claim a host'],
      ['prepareRun', 'prepare'],
      ['cloneRepo', 'clone'],
      ['initSpecKit', 'init'],
      ['runAgentPhase', 'specify'],
      ['runAgentPhase', 'plan'],
      ['runAgentPhase', 'tasks'],
      ['commitChanges', 'commit'],
      ['pushBranch', 'push'],
      ['finishRun', 'finish'],
    ]);
  });

  it('replays its own history (patch marker and upserts included)', async () => {
    const history = await handle.fetchHistory();
    expect(history.events?.some((e) => e.markerRecordedEventAttributes)).toBe(true);
    await Worker.runReplayHistory({ workflowBundle: worker.bundle }, history, handle.workflowId);
  });
});

describe('a run that does not succeed', () => {
  it('ends as failed in the step that failed; a second attempt is named on the timeline', async () => {
    const handle = await start(
      stubs({
        runAgentPhase: async (r) => {
          if (r.phase === 'plan')
            throw ApplicationFailure.create({
              type: 'PhaseOutputMissing',
              message: 'no plan',
              nonRetryable: true,
            });
          return { outcome, featureDir: 'specs/001-x', clarifications: [] };
        },
      }),
    );
    await settled(handle);
    expect(await attributesOf(handle)).toMatchObject({ status: 'failed', phase: 'plan' });
    const agentSteps = (await activitySummaries(handle)).filter(([type]) => type === 'runAgentPhase');
    expect(agentSteps.map(([, summary]) => summary)).toEqual(['specify', 'plan', 'plan (attempt 2)']);
  });

  it('ends as no_changes after the commit', async () => {
    const handle = await start(
      stubs({ commitChanges: async () => ({ outcome, changed: false, branch: 'speckit/001-x' }) }),
    );
    await settled(handle);
    expect(await attributesOf(handle)).toMatchObject({ status: 'no_changes', phase: 'commit' });
  });

  it('ends as cancelled in the step it was cancelled in', async () => {
    let agentStarted!: () => void;
    const started = new Promise<void>((r) => {
      agentStarted = r;
    });
    let cancelRequested!: () => void;
    const requested = new Promise<void>((r) => {
      cancelRequested = r;
    });
    const handle = await start(
      stubs({
        runAgentPhase: async () => {
          const ctx = Context.current();
          agentStarted();
          // The activity's first heartbeat, once the workflow asked to cancel it, is answered with
          // the cancellation (later ones would wait out the heartbeat throttle).
          await requested;
          ctx.heartbeat();
          await ctx.cancelled;
          throw new Error('unreachable: the activity is cancelled');
        },
      }),
    );
    await started;
    expect(await attributesOf(handle)).toMatchObject({ status: 'in_progress', phase: 'specify' });
    await handle.cancel();
    await eventually(async () => {
      const { events } = await handle.fetchHistory();
      return events?.some((e) => e.activityTaskCancelRequestedEventAttributes) || undefined;
    });
    cancelRequested();
    await settled(handle);
    expect(await attributesOf(handle)).toMatchObject({ status: 'cancelled', phase: 'specify' });
  });
});

describe('SpecKitClient.startRun', () => {
  it('makes a run filterable as queued before a worker picks it up', async () => {
    // A task queue no worker polls: the run stays queued.
    const config = loadConfig({
      ...process.env,
      SPECKIT_TASK_QUEUE: `search-attributes-idle-${process.pid}`,
    });
    const client = await SpecKitClient.connect(config);
    const repo = uniqueRepo();
    const { runId } = await client.startRun({
      repo,
      specifyText: 'Add colours',
      agent: { backend: 'scripted' },
    });
    const handle = client.temporal.workflow.getHandle(runId);
    try {
      expect(await attributesOf(handle)).toEqual({ repo, status: 'queued', phase: undefined });
      const query = `SpecKitStatus="queued" AND SpecKitRepo="${repo}"`;
      const ids: string[] = [];
      await eventually(async () => {
        for await (const wf of client.temporal.workflow.list({ query })) ids.push(wf.workflowId);
        return ids.length ? ids : undefined;
      });
      expect(ids).toEqual([runId]);
    } finally {
      await handle.terminate('search attributes test: nothing runs it');
      await client.close();
    }
  });
});
