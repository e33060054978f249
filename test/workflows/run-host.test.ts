// A run whose worker host stops taking its steps: specKitRun waits for a busy host and moves off a
// lost one, on the stack's Temporal server with stub activities. test/faults/host-loss.test.ts
// proves the real thing: two worker processes, one killed, the workspace recreated.
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { outcome, stubs, useStubWorker } from '../support/stub-worker.js';

const worker = useStubWorker('run-host-test');

describe('run host', () => {
  it('sends the workspace steps to the host that claimed the run and moves off it once it is lost', async () => {
    const firstQueue = `run-host-test-first-${process.pid}`;
    const seen = {
      claims: 0,
      preflights: [] as string[],
      phases: [] as string[],
      restores: [] as number[],
      alive: [] as string[],
    };
    // Asked twice: the first host is busy, then it is gone.
    const alive = [true, false];
    let first: Worker | undefined;
    const activities = stubs({
      claimHost: async (r) => {
        const host =
          seen.claims++ === 0
            ? { hostId: 'first', taskQueue: firstQueue }
            : { hostId: 'second', taskQueue: Context.current().info.taskQueue };
        if (r.input) seen.preflights.push(host.hostId);
        return host;
      },
      runAgentPhase: async (r) => {
        seen.phases.push(`${r.phase} on ${Context.current().info.taskQueue}`);
        // The first host dies right after specify: nobody polls its queue any more.
        if (r.phase === 'specify') setImmediate(() => first?.shutdown());
        return { outcome, featureDir: 'specs/001-x', clarifications: [] };
      },
      hostAlive: async (h) => {
        seen.alive.push(h.hostId);
        return alive.shift() ?? false;
      },
      restoreWorkspace: async (r) => {
        seen.restores.push(r.attempt);
        return { restored: 'specify', artifactsDir: '/second/artifacts' };
      },
    });
    first = await Worker.create({
      connection: worker.env.nativeConnection,
      taskQueue: firstQueue,
      activities,
    });
    const firstRunning = first.run();

    const handle = await worker.start(activities, { timeouts: { hostWaitSeconds: 10 } });
    const run = await handle.result();
    await firstRunning;

    expect(run.status).toBe('succeeded');
    expect(run.hosts).toEqual(['first', 'second']);
    expect(run.artifactsDir).toBe('/second/artifacts');
    const second = `run-host-test-${process.pid}`;
    expect(seen.phases).toEqual([`specify on ${firstQueue}`, `plan on ${second}`, `tasks on ${second}`]);
    expect(seen.alive).toEqual(['first', 'first']);
    expect(seen.restores).toEqual([1]);
    // The host a run moves to is checked as the first was.
    expect(seen.preflights).toEqual(['first', 'second']);
  }, 60_000);
});
