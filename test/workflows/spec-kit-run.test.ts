// specKitRun's decisions in seconds: the real workflow code on the stack's Temporal server, with
// stub activities instead of containers. The end-to-end suites prove the activities themselves.
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPhaseRequest } from '../../src/activities/agent-phase.js';
import type { Activities } from '../../src/activities/index.js';
import type { RunInputRaw } from '../../src/run-input.js';
import type { RunSummary } from '../../src/run-summary.js';
import { specKitRun } from '../../src/workflows/spec-kit-run.js';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `workflow-test-${process.pid}`;
/** Each run's stub activities, by workflow id: one worker serves every test. */
const stubsOf = new Map<string, Stubs>();

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await TestWorkflowEnvironment.createFromExistingServer({
    address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
  });
  const dispatch = (name: keyof Stubs) => (arg: never) => {
    const stubs = stubsOf.get(Context.current().info.workflowExecution?.workflowId ?? '') as Stubs;
    return (stubs[name] as (a: never) => unknown)(arg);
  };
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: path.resolve('src/workflows/index.ts'),
    activities: Object.fromEntries(STUBBED.map((name) => [name, dispatch(name)])),
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const outcome = { exitCode: 0, durationMs: 5, containerId: 'c' };
const STUBBED = [
  'preflight',
  'prepareRun',
  'finishRun',
  'cloneRepo',
  'initSpecKit',
  'runAgentPhase',
  'commitChanges',
  'pushBranch',
  'openPullRequest',
] as const;
type Stubs = Pick<Activities, (typeof STUBBED)[number]>;

/** Activities that succeed, with `overrides` on top; `calls` records every agent phase request. */
function stubs(overrides: Partial<Stubs> = {}) {
  const calls: AgentPhaseRequest[] = [];
  const activities: Stubs = {
    preflight: async () => undefined,
    prepareRun: async () => ({ agent: { backend: 'scripted' }, artifactsDir: '/tmp/a' }),
    finishRun: async () => ({ containersRemoved: 0 }),
    cloneRepo: async () => ({ outcome }),
    initSpecKit: async () => ({ outcome }),
    runAgentPhase: async (r) => {
      calls.push(r);
      return { outcome, featureDir: 'specs/001-x', clarifications: [] };
    },
    commitChanges: async () => ({ outcome, changed: true, branch: 'speckit/001-x', commit: 'abc' }),
    pushBranch: async ({ branch }) => ({ outcome, branch }),
    openPullRequest: async () => ({ url: 'https://github.test/o/r/pull/1', number: 1, created: true }),
    ...overrides,
  };
  return { activities, calls };
}

async function runWith(activities: Stubs, input: Partial<RunInputRaw> = {}): Promise<RunSummary> {
  const workflowId = `wf-test-${Math.random().toString(36).slice(2)}`;
  stubsOf.set(workflowId, activities);
  const handle = await env.client.workflow.start(specKitRun, {
    taskQueue,
    workflowId,
    args: [{ repo: '/srv/git/sample.git', specifyText: 'Add colours', ...input }],
  });
  try {
    return await handle.result();
  } catch {
    return handle.query<RunSummary>('status');
  }
}

const failing = (type: string, times: number, phase = 'plan') => {
  let left = times;
  return async (r: AgentPhaseRequest) => {
    if (r.phase === phase && left-- > 0)
      throw ApplicationFailure.create({ type, message: `${type} in ${r.phase}`, nonRetryable: true });
    return { outcome, featureDir: 'specs/001-x', clarifications: [] };
  };
};

describe('specKitRun', () => {
  it('runs the phases in order, commits and pushes', async () => {
    const { activities, calls } = stubs();
    const run = await runWith(activities);
    expect(run.status).toBe('succeeded');
    expect(calls.map((c) => [c.phase, c.attempt])).toEqual([
      ['specify', 1],
      ['plan', 1],
      ['tasks', 1],
    ]);
    expect(run.phases.map((p) => p.status)).toEqual(Array(7).fill('succeeded'));
  });

  it.each(['PhaseOutputMissing', 'AgentStalled'])(
    'retries a phase once in a fresh container after %s',
    async (type) => {
      const attempts: number[] = [];
      const retried = failing(type, 1);
      const { activities } = stubs({
        runAgentPhase: async (r) => {
          if (r.phase === 'plan') attempts.push(r.attempt);
          return retried(r);
        },
      });
      const run = await runWith(activities);
      expect(run.status).toBe('succeeded');
      expect(attempts).toEqual([1, 2]);
      expect(run.phases.find((p) => p.name === 'plan')).toMatchObject({ status: 'succeeded', attempt: 2 });
    },
  );

  it('fails when the second attempt fails too, and publishes nothing', async () => {
    let pushed = false;
    const { activities } = stubs({
      runAgentPhase: failing('PhaseOutputMissing', 2),
      pushBranch: async ({ branch }) => {
        pushed = true;
        return { outcome, branch };
      },
    });
    const run = await runWith(activities);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('PhaseOutputMissing in plan');
    expect(run.phases.find((p) => p.name === 'plan')).toMatchObject({ status: 'failed', attempt: 2 });
    expect(run.phases.find((p) => p.name === 'commit')?.status).toBe('skipped');
    expect(pushed).toBe(false);
  });

  it.each(['PhaseFailed', 'AgentAuthFailed'])('does not retry %s', async (type) => {
    const { activities } = stubs({ runAgentPhase: failing(type, 1) });
    const run = await runWith(activities);
    expect(run.status).toBe('failed');
    expect(run.phases.find((p) => p.name === 'plan')).toMatchObject({ status: 'failed' });
    expect(run.phases.find((p) => p.name === 'plan')?.attempt).toBeUndefined();
  });

  it('ends as no_changes when the commit finds nothing, and pushes nothing', async () => {
    const { activities } = stubs({
      commitChanges: async () => ({ outcome, changed: false, branch: 'speckit/001-x' }),
    });
    const run = await runWith(activities);
    expect(run.status).toBe('no_changes');
    expect(run.phases.find((p) => p.name === 'push')?.status).toBe('skipped');
  });

  it('reports the branch the push took when the remote had the name already', async () => {
    const { activities } = stubs({ pushBranch: async ({ branch }) => ({ outcome, branch: `${branch}-2` }) });
    const run = await runWith(activities);
    expect(run.branch).toBe('speckit/001-x-2');
  });

  it('passes the run timeouts to the agent phases', async () => {
    const { activities, calls } = stubs();
    await runWith(activities, { timeouts: { agentStallSeconds: 42 } });
    expect(calls.every((c) => c.stallSeconds === 42)).toBe(true);
  });
});
