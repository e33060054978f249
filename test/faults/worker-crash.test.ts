import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containersCreated,
  containersOf,
  git,
  makeSampleRepo,
  runningStepContainer,
  startTestStack,
  type TestStack,
} from '../support/test-stack.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

let stack: TestStack;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  stack = await startTestStack({}, { inProcessWorker: false });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  await stack?.stop();
});

describe('worker crash', () => {
  it('a worker killed mid-phase is replaced and the run finishes exactly once', async () => {
    workers.push(await startWorkerProcess(stack.workerEnv));
    const remote = await makeSampleRepo();
    const since = Date.now();
    const { runId } = await stack.client.startRun({
      repo: remote,
      specifyText: 'Attach files to items',
      agent: { backend: 'scripted', options: { delaySeconds: 6 } },
      timeouts: { heartbeatSeconds: 5 },
    });
    await runningStepContainer(stack, runId, 'specify');

    await workers[0]?.kill('SIGKILL');
    workers.push(await startWorkerProcess(stack.workerEnv));
    const run = await stack.client.result(runId);

    expect(run.status).toBe('succeeded');
    // One container per step: the new worker re-attached to the running specify container.
    const created = await containersCreated(runId, since);
    expect(created.sort()).toEqual(
      ['clone', 'init', 'specify', 'plan', 'tasks', 'commit', 'push']
        .map((s) => `speckit-${runId}-${s}-1`)
        .sort(),
    );
    // One commit, pushed once.
    expect((await git(remote, 'rev-list', '--count', `main..${run.branch}`)).trim()).toBe('1');
    expect((await git(remote, 'rev-parse', run.branch as string)).trim()).toBe(run.commit);
    const { rows } = await stack.db.query(
      "SELECT step, status FROM step_states WHERE run_id = $1 AND step = 'specify'",
      [runId],
    );
    expect(rows).toEqual([{ step: 'specify', status: 'succeeded' }]);
    expect(await containersOf(stack, runId)).toEqual([]);
  });
});
