// `run` with TEMPORAL_HTTP_URL: the run starts through Temporal's HTTP API (src/cli/temporal-http.ts)
// with what the SDK would send, and every way it cannot start says so before anything runs;
// `--wait --json` waits for its end there too. TEMPORAL_ADDRESS points nowhere wherever the CLI
// must not need gRPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPE } from '../../src/run/identity.js';
import { specKitRun } from '../../src/workflows/spec-kit-run.js';
import { runCli, spawnCli, useCliStack } from '../support/cli.js';
import { eventually, makeSampleRepo } from '../support/test-stack.js';

/** The stack's Temporal HTTP API (scripts/stack.sh starts it on TEMPORAL_HTTP_PORT). */
const TEMPORAL_HTTP_URL =
  process.env.TEMPORAL_HTTP_URL ?? `http://127.0.0.1:${process.env.TEMPORAL_HTTP_PORT ?? 7243}`;

const { stack } = useCliStack();

/** Over HTTP alone: nothing answers gRPC here. */
const HTTP_ONLY = { TEMPORAL_HTTP_URL, TEMPORAL_ADDRESS: '127.0.0.1:1' };

const run = (repo: string, env: Record<string, string>, ...flags: string[]) =>
  runCli(['run', '--repo', repo, '--text', 'Export the to-do list as CSV', '--agent', 'scripted', ...flags], {
    SPECKIT_TASK_QUEUE: stack().config.temporal.taskQueue,
    ...env,
  });

function decode(payload: { data?: Uint8Array | null } | undefined): unknown {
  return JSON.parse(Buffer.from(payload?.data ?? new Uint8Array()).toString());
}

/** Runs of this file's task queue that Temporal knows. */
async function runsStarted(): Promise<number> {
  const query = `TaskQueue="${stack().config.temporal.taskQueue}"`;
  return (await stack().client.temporal.workflow.count(query)).count;
}

describe("run over Temporal's HTTP API", () => {
  it('starts the run the SDK would start: type, input, queued search attributes; --wait --json reports its success', async () => {
    expect(specKitRun.name).toBe(WORKFLOW_TYPE);
    const repo = await makeSampleRepo();
    // 3 phases of 8 s: longer than one long poll of the run's history (Temporal's 20 s), so the
    // wait goes on to the next page.
    const slow = ['--agent-options', '{"delaySeconds":8}'];
    const { code, stdout, stderr } = await run(repo, HTTP_ONLY, ...slow, '--wait', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const summary = await stack().client.result(report.runId);
    expect(report).toMatchObject({ status: 'succeeded', branch: summary.branch, commit: summary.commit });
    expect(report.steps.map((s: { name: string }) => s.name)).toEqual(summary.steps.map((s) => s.name));
    const phasesMs = report.steps
      .filter((s: { name: string }) => ['specify', 'plan', 'tasks'].includes(s.name))
      .reduce((sum: number, s: { durationMs: number }) => sum + s.durationMs, 0);
    expect(phasesMs).toBeGreaterThan(20_000);

    const history = await stack().client.temporal.workflow.getHandle(report.runId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(started?.workflowType?.name).toBe(WORKFLOW_TYPE);
    expect(started?.taskQueue?.name).toBe(stack().config.temporal.taskQueue);
    expect(started?.input?.payloads).toHaveLength(1);
    const payload = started?.input?.payloads?.[0];
    expect(Buffer.from(payload?.metadata?.encoding ?? new Uint8Array()).toString()).toBe('json/plain');
    expect(decode(payload)).toMatchObject({ repo, specifyText: 'Export the to-do list as CSV' });
    const attributes = started?.searchAttributes?.indexedFields ?? {};
    expect(decode(attributes.SpecKitRepo)).toBe(repo);
    expect(decode(attributes.SpecKitStatus)).toBe('queued');
    expect(started?.identity).toMatch(/^\d+@/);
  });

  it('--wait --json reports a failed run as its status query answers it, exit 1', async () => {
    const { code, stdout } = await run(
      await makeSampleRepo(),
      HTTP_ONLY,
      '--clarification',
      'fail',
      '--agent-options',
      '{"clarifications":1}',
      '--wait',
      '--json',
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('the spec needs clarification'),
    });
    expect((await stack().client.status(report.runId)).error).toBe(report.error);
  });

  /** `run --wait --json` over HTTP alone on a queue nobody polls, once it has said so: the run stays queued. */
  async function waitingUnpolled(queueSuffix: string) {
    const queue = `${stack().config.temporal.taskQueue}-${queueSuffix}`;
    const args = ['--repo', await makeSampleRepo(), '--text', 'Pin a list', '--agent', 'scripted'];
    const cli = spawnCli(['run', ...args, '--wait', '--json'], { ...HTTP_ONLY, SPECKIT_TASK_QUEUE: queue });
    const warned = await eventually(
      async () => /no worker polls task queue \S+: run (sk-[0-9a-f]{12})/.exec(cli.output()),
      10_000,
      'the no-worker warning',
    );
    const runId = warned[1] as string;
    const terminate = () =>
      stack().client.temporal.workflow.getHandle(runId).terminate('test: nobody polls its queue');
    return { cli, runId, queue, terminate };
  }

  it('--wait --json on a queue nobody polls says so; Ctrl-C says how to follow the run, exit 130', async () => {
    const { cli, runId, queue, terminate } = await waitingUnpolled('nobody-waits');
    try {
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(130);
      expect(cli.output()).toContain(
        `run ${runId} is not cancelled: it stays queued until a worker polls task queue ${queue}`,
      );
      expect(cli.output()).toContain(`speckit-automation status ${runId}`);
    } finally {
      await terminate();
    }
  });

  it('--wait --json says how a run ended when it has no summary: terminated before any worker took it', async () => {
    const { cli, runId, terminate } = await waitingUnpolled('nobody-ends');
    await terminate();
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toMatch(
      new RegExp(
        `error: run ${runId} ended \\(terminated\\), and its summary cannot be read: Temporal did not report on run ${runId}: .+ \\(HTTP \\d+\\)\n$`,
      ),
    );
  });

  it('without --wait asks the HTTP API whether a worker polls the run queue, and says when none does', async () => {
    const polled = await run(await makeSampleRepo(), { TEMPORAL_HTTP_URL }, '--json');
    expect(polled.code).toBe(0);
    expect(polled.stderr).toBe('');
    const { runId } = JSON.parse(polled.stdout);
    expect((await stack().client.result(runId)).status).toBe('succeeded');

    const nobodyQueue = `${stack().config.temporal.taskQueue}-nobody`;
    const unpolled = await run(await makeSampleRepo(), {
      TEMPORAL_HTTP_URL,
      SPECKIT_TASK_QUEUE: nobodyQueue,
    });
    const waiting = /^started run (sk-[0-9a-f]{12})\n/.exec(unpolled.stdout)?.[1] as string;
    // Ended before the assertions: a failed one must not leave the run waiting for a worker.
    await stack().client.temporal.workflow.getHandle(waiting).terminate('test: nobody polls its queue');
    expect(unpolled.code).toBe(0);
    expect(unpolled.stderr).toBe(
      `warning: no worker polls task queue ${nobodyQueue}: run ${waiting} waits until one picks it up; ` +
        `start one with \`SPECKIT_TASK_QUEUE=${nobodyQueue} speckit-automation worker\`\n`,
    );
  });

  it('says the HTTP API is unreachable, and how to go on, and starts nothing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const before = await runsStarted();
    const { code, stdout, stderr } = await run(await makeSampleRepo(), {
      TEMPORAL_HTTP_URL: `http://127.0.0.1:${port}`,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `error: Temporal's HTTP API at http://127.0.0.1:${port} is unreachable (ECONNREFUSED): start Temporal ` +
        '(`npm run stack:up`), or fix TEMPORAL_HTTP_URL, or unset it to start runs over gRPC at ' +
        `${stack().config.temporal.address}\n`,
    );
    expect(await runsStarted()).toBe(before);
  });

  describe('a server that is not Temporal', () => {
    const notTemporal = createServer((_req, res) => res.writeHead(404).end('404 page not found'));
    beforeAll(() => new Promise<void>((resolve) => notTemporal.listen(0, '127.0.0.1', resolve)));
    afterAll(() => new Promise((resolve) => notTemporal.close(resolve)));

    it('is named as such', async () => {
      const url = `http://127.0.0.1:${(notTemporal.address() as AddressInfo).port}`;
      const { code, stderr } = await run(await makeSampleRepo(), { TEMPORAL_HTTP_URL: url });
      expect(code).toBe(1);
      expect(stderr).toBe(
        `error: ${url} answered HTTP 404 (404 page not found): TEMPORAL_HTTP_URL must be Temporal's HTTP API, ` +
          "the frontend's HTTP address (port 7243 by default)\n",
      );
    });
  });

  it("passes Temporal's own refusal on: an unknown namespace", async () => {
    const { code, stderr } = await run(await makeSampleRepo(), {
      TEMPORAL_HTTP_URL,
      TEMPORAL_NAMESPACE: 'no-such-namespace',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^error: Temporal did not start run sk-[0-9a-f]{12}: Namespace no-such-namespace is not found\. \(HTTP 404\)\n$/,
    );
  });
});
