import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { containersOf, runningStepContainer, useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('cancellation', () => {
  it('stops and removes the run’s containers within seconds, keeps its artifacts, records cancelled', async () => {
    const { runId } = await stack().startSlowRun('Sync lists between devices', 120);
    await runningStepContainer(stack(), runId, 'specify');

    const cancelledAt = Date.now();
    await stack().client.cancel(runId);
    const run = await stack().client.result(runId);
    const elapsed = Date.now() - cancelledAt;

    expect(run.status).toBe('cancelled');
    expect(elapsed).toBeLessThan(15_000);
    expect(run.steps.map((p) => [p.name, p.status])).toEqual([
      ['clone', 'succeeded'],
      ['init', 'succeeded'],
      ['specify', 'cancelled'],
      ['plan', 'skipped'],
      ['tasks', 'skipped'],
      ['commit', 'skipped'],
      ['push', 'skipped'],
    ]);
    expect(await containersOf(stack(), runId)).toEqual([]);
    const { rows } = await stack().db.query('SELECT status, finished_at FROM runs WHERE run_id = $1', [
      runId,
    ]);
    expect(rows[0].status).toBe('cancelled');
    expect(rows[0].finished_at).toBeInstanceOf(Date);
    const { rows: phase } = await stack().db.query(
      "SELECT status FROM step_states WHERE run_id = $1 AND step = 'specify'",
      [runId],
    );
    expect(phase).toEqual([{ status: 'cancelled' }]);
    const artifacts = run.artifactsDir as string;
    expect(existsSync(path.join(artifacts, 'specify.stdout.log'))).toBe(true);
    expect(JSON.parse(await readFile(path.join(artifacts, 'summary.json'), 'utf8')).status).toBe('cancelled');
  });
});

describe('timeouts', () => {
  it('a phase that outlives its start-to-close timeout has its container stopped and fails the run', async () => {
    const started = Date.now();
    const { runId } = await stack().startSlowRun('Print lists', 300, {
      timeouts: { agentPhaseSeconds: 10, heartbeatSeconds: 5 },
    });
    const run = await stack().client.result(runId);

    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/step specify was stopped before it finished \(exit 143\): it timed out/);
    expect(run.steps.find((p) => p.name === 'specify')).toMatchObject({ status: 'failed', exitCode: 143 });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await containersOf(stack(), runId)).toEqual([]);
  });
});
