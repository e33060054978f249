// Two worker hosts on one machine, each with a workspace root of its own. The host holding a run
// dies mid-phase — its worker SIGKILLed, its job containers gone with it — and the run finishes
// on the other host, which recreates the workspace from the last checkpoint in PostgreSQL: no
// completed phase runs again.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../src/containers/identity.js';
import { containersOf, eventually, git, runningStepContainer, useTestStack } from '../support/test-stack.js';
import type { WorkerProcess } from '../support/worker-process.js';

const stack = useTestStack({}, { inProcessWorker: false });

async function startHost(hostId: string): Promise<{ worker: WorkerProcess; root: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), `speckit-${hostId}-`));
  const worker = await stack().startWorker({ SPECKIT_HOST_ID: hostId, SPECKIT_WORKSPACE_ROOT: root });
  return { worker, root };
}

/** The steps whose logs a host's workspace holds for a run. */
async function stepsRun(root: string, runId: string): Promise<string[]> {
  const logs = await readdir(path.join(root, 'runs', runId, 'artifacts'));
  return logs
    .filter((f) => f.endsWith('.stdout.log'))
    .map((f) => f.replace('.stdout.log', ''))
    .sort();
}

/** The one feature directory a run's workspace holds. */
async function featureDir(repoDir: string): Promise<string> {
  const features = (await readdir(path.join(repoDir, 'specs'))).filter((d) => /^\d{3}-/.test(d));
  expect(features).toHaveLength(1);
  return path.join('specs', features[0] as string);
}

describe('host loss', () => {
  it('a run whose host dies mid-phase finishes on another host without running a completed phase again', async () => {
    const s = stack();
    const a = await startHost('host-a');
    const { runId, repo: remote } = await s.startSlowRun('Attach files to items', 5, {
      timeouts: { heartbeatSeconds: 5, hostWaitSeconds: 10 },
    });
    await runningStepContainer(s, runId, 'plan');
    // The worker opens a step's log once its container runs; kill it only after, so host-a's
    // workspace shows that plan started there.
    await eventually(
      async () => (await stepsRun(a.root, runId)).includes('plan'),
      30_000,
      "host-a's plan log",
    );
    await a.worker.kill('SIGKILL');
    for (const c of await containersOf(s, runId))
      if (c.Labels[LABELS.host] === 'host-a') await s.docker.getContainer(c.Id).remove({ force: true });
    const b = await startHost('host-b');
    const run = await s.client.result(runId);

    expect(run.status).toBe('succeeded');
    expect(run.hosts).toEqual(['host-a', 'host-b']);
    // clone, init and specify ran on host-a only; plan was lost with host-a and ran again on
    // host-b once the workspace was restored there. Each host's artifacts hold the logs of the
    // steps it ran.
    expect(await stepsRun(a.root, runId)).toEqual(['clone', 'init', 'plan', 'specify']);
    expect(await stepsRun(b.root, runId)).toEqual(['commit', 'plan', 'push', 'restore', 'tasks']);
    const { rows: specify } = await s.db.query(
      "SELECT status FROM step_states WHERE run_id = $1 AND step = 'specify'",
      [runId],
    );
    expect(specify).toEqual([{ status: 'succeeded' }]);

    // The pushed feature holds host-a's spec, byte for byte, and host-b's plan and tasks.
    const repoA = path.join(a.root, 'runs', runId, 'repo');
    const repoB = path.join(b.root, 'runs', runId, 'repo');
    const feature = await featureDir(repoA);
    const pushed = (file: string) => git(remote, 'show', `${run.branch}:${path.join(feature, file)}`);
    expect(await pushed('spec.md')).toBe(await readFile(path.join(repoA, feature, 'spec.md'), 'utf8'));
    expect(await pushed('plan.md')).toBe(await readFile(path.join(repoB, feature, 'plan.md'), 'utf8'));
    expect(await pushed('tasks.md')).toBe(await readFile(path.join(repoB, feature, 'tasks.md'), 'utf8'));
    expect((await git(remote, 'rev-list', '--count', `main..${run.branch}`)).trim()).toBe('1');

    const { rows } = await s.db.query(
      'SELECT r.worker_host, (SELECT count(*) FROM run_checkpoints c WHERE c.run_id = r.run_id) AS checkpoints FROM runs r WHERE run_id = $1',
      [runId],
    );
    expect(rows).toEqual([{ worker_host: 'host-b', checkpoints: '0' }]);
    expect(await containersOf(s, runId)).toEqual([]);
  }, 180_000);
});
