// specKitRun's decisions in seconds: the real workflow code on the stack's Temporal server, with
// stub activities instead of containers. The end-to-end suites prove the activities themselves.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { AgentPhaseRequest } from '../../src/activities/agent-phase.js';
import type { RunInputRaw } from '../../src/run/input.js';
import type { RunSummary } from '../../src/run/summary.js';
import { outcome, type Stubs, stubs as succeeding, useStubWorker } from '../support/stub-worker.js';
import { eventually } from '../support/test-stack.js';

const worker = useStubWorker('workflow-test');

/** Activities that succeed, with `overrides` on top; `calls` records every agent phase request. */
function stubs(overrides: Partial<Stubs> = {}) {
  const calls: AgentPhaseRequest[] = [];
  const activities = succeeding(overrides);
  const runAgentPhase = activities.runAgentPhase;
  activities.runAgentPhase = (r) => {
    calls.push(r);
    return runAgentPhase(r);
  };
  return { activities, calls };
}

async function runWith(activities: Stubs, input: Partial<RunInputRaw> = {}): Promise<RunSummary> {
  const handle = await worker.start(activities, input);
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
    expect(run.steps.map((p) => p.status)).toEqual(Array(7).fill('succeeded'));
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
      expect(run.steps.find((p) => p.name === 'plan')).toMatchObject({ status: 'succeeded', attempt: 2 });
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
    expect(run.steps.find((p) => p.name === 'plan')).toMatchObject({ status: 'failed', attempt: 2 });
    expect(run.steps.find((p) => p.name === 'commit')?.status).toBe('skipped');
    expect(pushed).toBe(false);
  });

  it.each(['PhaseFailed', 'AgentAuthFailed'])('does not retry %s', async (type) => {
    const { activities } = stubs({ runAgentPhase: failing(type, 1) });
    const run = await runWith(activities);
    expect(run.status).toBe('failed');
    expect(run.steps.find((p) => p.name === 'plan')).toMatchObject({ status: 'failed' });
    expect(run.steps.find((p) => p.name === 'plan')?.attempt).toBeUndefined();
  });

  it('has the host that claims the run run its preflight, with the run input, before any step', async () => {
    const claims: unknown[] = [];
    const { activities } = stubs({
      preflight: async () => {
        throw new Error('the preflight ran on the shared queue, apart from the claim');
      },
      claimHost: async (r) => {
        claims.push(r.input?.repo);
        return { hostId: 'stub-host', taskQueue: Context.current().info.taskQueue };
      },
    });
    const run = await runWith(activities, { repo: 'https://git.test/o/claimed.git' });
    expect(run.status).toBe('succeeded');
    expect(claims).toEqual(['https://git.test/o/claimed.git']);
  });

  it('fails a run its claiming host refuses in the preflight, with nothing prepared and nothing to clean', async () => {
    const started: string[] = [];
    const { activities } = stubs({
      claimHost: async () => {
        throw ApplicationFailure.create({
          type: 'AgentKeyMissing',
          message: 'agent codex needs an API key: set OPENAI_API_KEY',
          nonRetryable: true,
        });
      },
      prepareRun: async () => {
        started.push('prepareRun');
        return { agent: { backend: 'scripted' }, artifactsDir: '/tmp/a' };
      },
      finishRun: async () => {
        started.push('finishRun');
        return { containersRemoved: 0 };
      },
    });
    const run = await runWith(activities);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('agent codex needs an API key');
    expect(started).toEqual([]);
  });

  it('ends as no_changes when the commit finds nothing, and pushes nothing', async () => {
    const { activities } = stubs({
      commitChanges: async () => ({ outcome, changed: false, branch: 'speckit/001-x' }),
    });
    const run = await runWith(activities);
    expect(run.status).toBe('no_changes');
    expect(run.steps.find((p) => p.name === 'push')?.status).toBe('skipped');
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

  it('publish none commits and pushes nothing; pr opens the pull request after the push', async () => {
    const published: string[] = [];
    const { activities } = stubs({
      pushBranch: async ({ branch }) => {
        published.push(`push ${branch}`);
        return { outcome, branch };
      },
      openPullRequest: async ({ summary }) => {
        published.push(`pr ${summary.branch}`);
        return { url: 'https://github.test/o/r/pull/7', number: 7, created: true };
      },
    });
    const none = await runWith(activities, { publish: { mode: 'none' } });
    expect(none.status).toBe('succeeded');
    expect(none.steps.map((p) => p.name)).not.toContain('push');
    expect(published).toEqual([]);

    const pr = await runWith(activities, { publish: { mode: 'pr' } });
    expect(pr).toMatchObject({ status: 'succeeded', pullRequestUrl: 'https://github.test/o/r/pull/7' });
    expect(published).toEqual(['push speckit/001-x', 'pr speckit/001-x']);
  });

  it('clarification fail stops after specify with the questions; ignore goes on and lists them', async () => {
    const asking = async (r: AgentPhaseRequest) => ({
      outcome,
      featureDir: 'specs/001-x',
      clarifications: r.phase === 'specify' ? ['Which provider?'] : [],
    });
    const failed = await runWith(stubs({ runAgentPhase: asking }).activities, { clarification: 'fail' });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(
      /the spec needs clarification \(clarification: fail\):\n {2}- Which provider\?/,
    );
    expect(failed.steps.find((p) => p.name === 'plan')?.status).toBe('skipped');

    const ignored = await runWith(stubs({ runAgentPhase: asking }).activities, { clarification: 'ignore' });
    expect(ignored).toMatchObject({ status: 'succeeded', clarifications: ['Which provider?'] });
  });

  it('is cancelled in the middle of a phase, and still cleans up', async () => {
    let finished: RunSummary | undefined;
    const { activities } = stubs({
      runAgentPhase: async () => {
        // Waits for the cancellation, as a container step does (it heartbeats).
        for (;;) {
          Context.current().heartbeat();
          await Context.current().sleep(200);
        }
      },
      finishRun: async (summary) => {
        finished = summary;
        return { containersRemoved: 0 };
      },
    });
    const handle = await worker.start(activities, { timeouts: { heartbeatSeconds: 5 } });
    await eventually(async () => (await handle.query<RunSummary>('status')).steps[2]?.status === 'running');
    await handle.cancel();
    const run = await handle.result().catch(() => handle.query<RunSummary>('status'));
    expect(run.status).toBe('cancelled');
    expect(run.steps.find((p) => p.name === 'specify')?.status).toBe('cancelled');
    expect(finished?.status).toBe('cancelled');
  });
});
