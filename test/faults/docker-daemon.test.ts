// Restarts the real Docker daemon (started by scripts/stack().sh with --live-restore): run last, alone.
import { describe, expect, it } from 'vitest';
import {
  containersOf,
  git,
  makeSampleRepo,
  runningStepContainer,
  stackScript,
  useTestStack,
} from '../support/test-stack.js';

const stack = useTestStack({}, { restoreStack: true });

describe('Docker daemon faults', () => {
  it('a daemon restarted mid-phase: the phase re-attaches to its container and the run completes', async () => {
    const remote = await makeSampleRepo();
    const { runId } = await stack().client.startRun({
      repo: remote,
      specifyText: 'Group items by project',
      agent: { backend: 'scripted', options: { delaySeconds: 8 } },
      timeouts: { heartbeatSeconds: 5 },
    });
    await runningStepContainer(stack(), runId, 'specify');
    await stackScript('docker-restart');

    const run = await stack().client.result(runId);
    expect(run.status).toBe('succeeded');
    expect((await git(remote, 'rev-parse', run.branch as string)).trim()).toBe(run.commit);
    const { rows } = await stack().db.query(
      "SELECT count(*)::int AS n FROM step_states WHERE run_id = $1 AND step = 'specify'",
      [runId],
    );
    expect(rows[0].n).toBe(1);
    expect(await containersOf(stack(), runId)).toEqual([]);
  });

  it('a daemon that is down when a run starts fails the run at once with what to do', async () => {
    await stackScript('docker-stop');
    try {
      const started = Date.now();
      const { runId } = await stack().client.startRun({
        repo: await makeSampleRepo(),
        specifyText: 'Anything',
        agent: { backend: 'scripted' },
      });
      const run = await stack().client.result(runId);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(
        /Docker daemon unreachable .*: start it \(`npm run stack:up`\) or point DOCKER_HOST at it/,
      );
      expect(run.steps.every((p) => p.status === 'skipped')).toBe(true);
      expect(Date.now() - started).toBeLessThan(20_000);
      const { rows } = await stack().db.query('SELECT status FROM runs WHERE run_id = $1', [runId]);
      expect(rows).toEqual([]); // it never started: nothing was allocated or recorded
    } finally {
      await stackScript('up');
    }
  });
});
