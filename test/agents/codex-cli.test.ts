// The operator's path with the default agent: a worker process configured with only an endpoint,
// an OpenAI key and the job network, and `speckit-automation run --agent codex` from the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli } from '../support/cli.js';
import { type ModelApi, startModelApi } from '../support/model-api.js';
import { git, makeSampleRepo, startTestStack, type TestStack } from '../support/test-stack.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const KEY = 'sk-standin-cli-0123456789abcdefghijklmn';
let api: ModelApi;
let stack: TestStack;
let worker: WorkerProcess;

beforeAll(async () => {
  requireBuiltCli();
  api = await startModelApi(undefined, { mode: 'work', key: KEY });
  stack = await startTestStack({}, { inProcessWorker: false });
  worker = await startWorkerProcess({
    ...stack.workerEnv,
    SPECKIT_AGENT_BASE_URL: `${api.origin}/v1`,
    OPENAI_API_KEY: KEY,
    SPECKIT_JOB_NETWORK: api.network,
  });
});
afterAll(async () => {
  await worker?.kill('SIGTERM');
  await stack?.stop();
  await api?.remove();
});

async function runCodex(description: string) {
  const remote = await makeSampleRepo();
  const { code, stdout, stderr } = await runCli(
    [
      'run',
      '--repo',
      remote,
      '--text',
      description,
      '--agent',
      'codex',
      '--publish',
      'branch',
      '--wait',
      '--json',
    ],
    { SPECKIT_TASK_QUEUE: stack.config.temporal.taskQueue },
  );
  return { code, stderr, report: JSON.parse(stdout || '{}'), remote };
}

describe('speckit-automation run --agent codex', () => {
  it('succeeds with spec.md, plan.md and tasks.md on the pushed branch', async () => {
    const { code, report, remote, stderr } = await runCodex('Share a to-do list by email');
    expect({ code, status: report.status, error: report.error, stderr }).toMatchObject({
      code: 0,
      status: 'succeeded',
      error: null,
    });
    const files = await git(remote, 'ls-tree', '-r', '--name-only', report.branch);
    for (const doc of ['spec.md', 'plan.md', 'tasks.md'])
      expect(files).toMatch(new RegExp(`^specs/001-[^/]+/${doc}$`, 'm'));
    expect((await api.requests()).some((r) => r.provider === 'openai' && r.keyMatched)).toBe(true);
  });

  it('ends failed and pushes nothing when the model writes nothing', async () => {
    await api.setScenario({ mode: 'nothing', key: KEY });
    const { code, report, remote } = await runCodex('Print the list');
    expect(code).toBe(1);
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/PhaseOutputMissing|exited 0 without leaving/);
    expect((await git(remote, 'for-each-ref', '--format=%(refname)')).trim()).toBe('refs/heads/main');
  });
});
