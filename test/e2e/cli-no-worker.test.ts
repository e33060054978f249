// The built CLI never waits silently: a run on a task queue no worker polls (queued), seen by
// run --wait, status, list, logs and cancel; Ctrl-C during run --wait; Temporal unreachable.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecKitClient } from '../../src/client.js';
import { loadConfig } from '../../src/config.js';
import { requireBuiltCli, runCli, spawnCli } from '../support/cli.js';
import { uniqueId } from '../support/run-rows.js';
import { eventually } from '../support/test-stack.js';

// Nothing polls this queue: every run started on it stays queued.
const taskQueue = uniqueId('no-worker');
const env = { SPECKIT_TASK_QUEUE: taskQueue };
let client: SpecKitClient;
let repo: string;
let runId: string;

beforeAll(async () => {
  requireBuiltCli();
  client = await SpecKitClient.connect(loadConfig({ ...process.env, ...env }));
  // A local path only has to exist: no worker will ever clone it.
  repo = await mkdtemp(path.join(os.tmpdir(), 'speckit-no-worker-'));
});
afterAll(async () => {
  // Queued runs would wait for a worker forever: nothing ran, so there is nothing to clean up.
  if (runId)
    await client?.temporal.workflow
      .getHandle(runId)
      .terminate('test cleanup')
      .catch(() => undefined);
  await client?.close();
});

describe('a run no worker picks up', () => {
  it('run --wait says within 10 s that no worker polls the task queue; Ctrl-C says how to follow the run, exit 130', async () => {
    const run = spawnCli(
      ['run', '--repo', repo, '--text', 'Let users pin a list', '--agent', 'scripted', '--wait'],
      env,
    );
    const spawned = Date.now();
    await eventually(
      async () => run.output().includes(`no worker polls task queue ${taskQueue}`),
      10_000,
      'the no-worker warning',
    );
    const warnedAfterMs = Date.now() - spawned;
    runId = /run (sk-[0-9a-f]{12}) started/.exec(run.output())?.[1] ?? '';
    expect(runId).not.toBe('');
    expect(run.output()).toContain(
      `start one with \`SPECKIT_TASK_QUEUE=${taskQueue} speckit-automation worker\``,
    );
    expect(warnedAfterMs).toBeLessThan(10_000);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    const output = run.output();
    expect(output).toContain(
      `run ${runId} is not cancelled: it stays queued until a worker polls task queue ${taskQueue}`,
    );
    for (const follow of [`status ${runId}`, `logs ${runId} --follow`, `cancel ${runId}`]) {
      expect(output).toContain(`speckit-automation ${follow}`);
    }
    // The run goes on waiting in Temporal.
    expect((await client.temporal.workflow.getHandle(runId).describe()).status.name).toBe('RUNNING');
  });

  it('status says it is queued, since when, and that no worker polls its task queue', async () => {
    const human = await runCli(['status', runId], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`run ${runId}: queued`);
    expect(human.stdout).toContain(`repo:      ${repo} (base main)`);
    expect(human.stdout).toMatch(/started: +\d{4}-\d\d-\d\dT[\d:.]+Z \(queued for \d+s\)/);
    expect(human.stdout).toContain(`none polls task queue ${taskQueue}`);

    const json = JSON.parse((await runCli(['status', runId, '--json'], env)).stdout);
    expect(json).toMatchObject({
      runId,
      status: 'queued',
      recorded: false,
      repo,
      taskQueue,
      workersPolling: 0,
      cancelRequested: false,
      finishedAt: null,
      steps: [],
    });
  });

  it('list shows it among the recorded runs; logs and artifacts say it has none yet', async () => {
    const listed = JSON.parse((await runCli(['list', '--repo', repo, '--json'], env)).stdout);
    expect(listed).toEqual([expect.objectContaining({ runId, status: 'queued', repo, recorded: false })]);
    const queuedOnly = await runCli(['list', '--status', 'queued'], env);
    expect(queuedOnly.stdout).toMatch(new RegExp(`^${runId} +queued +\\d{4}-`, 'm'));

    const logs = await runCli(['logs', runId], env);
    expect(logs.code).toBe(1);
    expect(logs.stderr).toContain(
      `run ${runId} is queued: no worker has picked it up yet, so it has no logs yet`,
    );
    const artifacts = await runCli(['artifacts', runId], env);
    expect(artifacts.stderr).toContain(`so it has no artifacts yet`);
  });

  it('cancel returns at once and says what happens', async () => {
    const started = Date.now();
    const cancelled = await runCli(['cancel', runId], env);
    const tookMs = Date.now() - started;
    expect(cancelled.stdout).toContain(`run ${runId}: cancellation requested`);
    expect(cancelled.stdout).toContain(
      'closes as cancelled, without running any step, as soon as a worker picks it up',
    );
    expect(cancelled.code).toBe(0);
    expect(tookMs).toBeLessThan(5_000);

    const status = await runCli(['status', runId], env);
    expect(status.stdout).toContain(`run ${runId}: queued`);
    expect(status.stdout).toMatch(/cancel: +requested/);
  });
});

describe('Temporal unreachable', () => {
  it.each([
    ['run', () => ['run', '--repo', repo, '--text', 'Anything']],
    ['status', () => ['status', runId || 'sk-000000000000']],
  ])('%s prints one line saying so and what to do, and exits 1', async (_, args) => {
    const { code, stdout, stderr } = await runCli(args(), { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(stderr).toBe(
      'error: Temporal at 127.0.0.1:1 is unreachable: start it (`npm run stack:up`) or set TEMPORAL_ADDRESS\n',
    );
    expect(stdout).toBe('');
    expect(code).toBe(1);
  });
});
