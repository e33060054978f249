import { describe, expect, it } from 'vitest';
import {
  containersCreated,
  containersOf,
  DEFAULT_RUN_STEPS,
  git,
  runningStepContainer,
  useTestStack,
} from '../support/test-stack.js';

const stack = useTestStack({}, { inProcessWorker: false });

describe('worker crash', () => {
  it('a worker killed mid-phase is replaced and the run finishes exactly once', async () => {
    const first = await stack().startWorker();
    const since = Date.now();
    const { runId, repo: remote } = await stack().startSlowRun('Attach files to items', 6, {
      timeouts: { heartbeatSeconds: 5 },
    });
    await runningStepContainer(stack(), runId, 'specify');

    await first.kill('SIGKILL');
    await stack().startWorker();
    const run = await stack().client.result(runId);

    expect(run.status).toBe('succeeded');
    // One container per step: the new worker re-attached to the running specify container.
    const created = await containersCreated(runId, since);
    expect(created.sort()).toEqual(DEFAULT_RUN_STEPS.map((s) => `speckit-${runId}-${s}-1`).sort());
    // One commit, pushed once.
    expect((await git(remote, 'rev-list', '--count', `main..${run.branch}`)).trim()).toBe('1');
    expect((await git(remote, 'rev-parse', run.branch as string)).trim()).toBe(run.commit);
    const { rows } = await stack().db.query(
      "SELECT step, status FROM step_states WHERE run_id = $1 AND step = 'specify'",
      [runId],
    );
    expect(rows).toEqual([{ step: 'specify', status: 'succeeded' }]);
    expect(await containersOf(stack(), runId)).toEqual([]);
  });
});
