// Stops the real PostgreSQL in the middle of a run: run alone (the suite runs files one at a time).
import { describe, expect, it } from 'vitest';
import { runningStepContainer, stackScript, useTestStack } from '../support/test-stack.js';

const stack = useTestStack({}, { restoreStack: true });

describe('PostgreSQL outage', () => {
  it('PostgreSQL down for a while: the activities retry and the run completes, fully recorded', async () => {
    const { runId } = await stack().startSlowRun('Undo the last change', 3);
    await runningStepContainer(stack(), runId, 'specify');
    await stackScript('postgres-stop');
    await new Promise((r) => setTimeout(r, 8_000));
    await stackScript('up');

    const run = await stack().client.result(runId);
    expect(run.status).toBe('succeeded');
    const { rows } = await stack().db.query('SELECT status, commit_sha FROM runs WHERE run_id = $1', [runId]);
    expect(rows).toEqual([{ status: 'succeeded', commit_sha: run.commit }]);
    const { rows: steps } = await stack().db.query(
      'SELECT step, status FROM step_states WHERE run_id = $1 ORDER BY started_at',
      [runId],
    );
    expect(steps.map((s) => [s.step, s.status])).toEqual(run.steps.map((p) => [p.name, 'succeeded']));
  });
});
