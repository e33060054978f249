import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../src/containers/identity.js';
import { git, makeSampleRepo, startTestStack, type TestStack } from '../support/test-stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('concurrency', () => {
  it('ten runs started at once on one worker all succeed, each in its own workspace and containers', async () => {
    const remotes = await Promise.all(Array.from({ length: 10 }, () => makeSampleRepo()));
    const started = await Promise.all(
      remotes.map((repo, i) =>
        stack.client.startRun({
          repo,
          specifyText: `Feature number ${i}: filter items`,
          agent: { backend: 'scripted' },
        }),
      ),
    );
    const runs = await Promise.all(started.map(({ runId }) => stack.client.result(runId)));

    expect(runs.map((r) => r.status)).toEqual(Array(10).fill('succeeded'));
    expect(new Set(runs.map((r) => r.artifactsDir)).size).toBe(10);
    for (const [i, run] of runs.entries()) {
      expect((await git(remotes[i] as string, 'rev-parse', run.branch as string)).trim()).toBe(run.commit);
      expect(
        await git(
          remotes[i] as string,
          'show',
          `${run.branch}:${run.branch?.replace('speckit/', 'specs/')}/spec.md`,
        ),
      ).toContain(`Feature number ${i}`);
    }
    const { rows } = await stack.db.query(
      'SELECT run_id, count(DISTINCT container_id)::int AS containers FROM phase_states WHERE run_id = ANY($1) GROUP BY run_id',
      [runs.map((r) => r.runId)],
    );
    expect(rows.map((r) => r.containers)).toEqual(Array(10).fill(7));
    const left = await stack.docker.listContainers({ all: true, filters: { label: [LABELS.managed] } });
    expect(left.filter((c) => runs.some((r) => c.Labels[LABELS.runId] === r.runId))).toEqual([]);
  });
});
