// What a real run leaves behind for operators: masked secrets, environment info, StatsD metrics.
import { createSocket } from 'node:dgram';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionSweep } from '../../src/workflows/retention-sweep.js';
import { makeSampleRepo, startTestStack, type TestStack } from '../support/test-stack.js';

// Token-shaped on purpose: masked both as a secret variable's value and as a GitHub token.
const AGENT_KEY = 'ghp_agentPrintsThisOnPurpose0123456789ab';
const statsd = createSocket('udp4');
const packets: string[] = [];
let stack: TestStack;

beforeAll(async () => {
  statsd.on('message', (m) => packets.push(...m.toString().split('\n')));
  await new Promise<void>((resolve) => statsd.bind(0, '127.0.0.1', resolve));
  stack = await startTestStack({
    SCRIPTED_AGENT_API_KEY: AGENT_KEY,
    STATSD_HOST: '127.0.0.1',
    STATSD_PORT: String(statsd.address().port),
  });
});
afterAll(async () => {
  await stack?.stop();
  statsd.close();
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('a run seen by an operator', () => {
  it('masks a secret the agent prints, records its environment and reports metrics', async () => {
    const { runId } = await stack.client.startRun({
      repo: await makeSampleRepo(),
      specifyText: 'Export items as iCalendar',
      agent: { backend: 'scripted', options: { echoEnv: ['SCRIPTED_AGENT_API_KEY'] } },
    });
    const run = await stack.client.result(runId);
    expect(run.status).toBe('succeeded');
    const artifacts = run.artifactsDir as string;

    // The agent printed the key in every phase; the logs hold the mask instead.
    expect(await readFile(path.join(artifacts, 'specify.stdout.log'), 'utf8')).toContain(
      'SCRIPTED_AGENT_API_KEY=***',
    );
    for (const file of await filesUnder(path.dirname(artifacts))) {
      expect((await readFile(file)).includes(AGENT_KEY), file).toBe(false);
    }
    const rows = await stack.db.query(
      `SELECT row_to_json(t)::text AS row FROM (
         SELECT * FROM runs r LEFT JOIN step_states p USING (run_id) LEFT JOIN agent_configs a USING (run_id)
         WHERE run_id = $1) t`,
      [runId],
    );
    expect(rows.rows.map((r) => r.row).join('\n')).not.toContain(AGENT_KEY);
    const history = await stack.client.temporal.workflow.getHandle(runId).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(AGENT_KEY);

    const environment = JSON.parse(await readFile(path.join(artifacts, 'environment.json'), 'utf8'));
    expect(environment).toMatchObject({
      image: stack.config.jobImage,
      imageId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      agent: { backend: 'scripted' },
      specifyCliVersion: expect.stringContaining('1.0.13'),
    });

    const { rows: indexed } = await stack.db.query(
      'SELECT path, kind, sha256, expires_at FROM artifacts WHERE run_id = $1 ORDER BY path',
      [runId],
    );
    expect(indexed.map((a) => a.path)).toEqual(
      expect.arrayContaining(['environment.json', 'summary.json', 'diff.patch']),
    );

    // UDP is not instant: wait for the run's metrics to arrive.
    const want = ['speckit.runs.started:1|c', 'speckit.runs.succeeded:1|c'];
    for (let i = 0; i < 40 && !want.every((w) => packets.includes(w)); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(packets).toEqual(expect.arrayContaining(want));
    expect(packets.some((p) => /^speckit\.step\.duration:\d+\|ms\|#.*step:specify/.test(p))).toBe(true);
    expect(packets.some((p) => /^speckit\.container\.start_latency:\d+\|ms/.test(p))).toBe(true);
  });

  it("reports the retention sweep's counts", async () => {
    // Everything this file's stack finished is past a retention of 1 ms: the run above is swept.
    const swept = await stack.client.temporal.workflow.execute(retentionSweep, {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: `observability-sweep-${Date.now()}`,
      args: [{ retentionMs: 1 }],
    });
    expect(swept.runsDeleted).toBeGreaterThanOrEqual(1);
    const want = [
      `speckit.sweep.runs_deleted:${swept.runsDeleted}|c`,
      `speckit.sweep.artifacts_expired:${swept.artifactsExpired}|c`,
      `speckit.sweep.containers_removed:${swept.containersRemoved}|c`,
      `speckit.sweep.skipped_active:${swept.skippedActive}|g`,
    ];
    for (let i = 0; i < 40 && !want.every((w) => packets.includes(w)); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(packets).toEqual(expect.arrayContaining(want));
    expect(packets.some((p) => /^speckit\.sweep\.duration:\d+\|ms/.test(p))).toBe(true);
  });
});
