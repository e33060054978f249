// The real agent CLIs of the job image, run by the product against a local stand-in of their
// provider's API (test/support/model-api). The stand-in lives in a container with no network but
// loopback, and every job container joins that namespace: no packet can leave the machine.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentBackend } from '../../src/run/input.js';
import type { RunSummary } from '../../src/run/summary.js';
import { type ModelApi, startModelApi } from '../support/model-api.js';
import { containersOf, git, makeSampleRepo, startTestStack, type TestStack } from '../support/test-stack.js';

const KEY = 'sk-standin-0123456789abcdefghijklmnop';

interface AgentCase {
  backend: AgentBackend;
  /** The worker variable its key comes from. */
  keyVariable: string;
  /** What follows the stand-in's origin in its base URL, as the agent's SDK takes it. */
  basePath: string;
  /** What else its worker needs. */
  env?: Record<string, string>;
}

// Copilot runs as its documented custom provider (OpenAI Responses): its GitHub service mode has
// no documented endpoint setting, so it cannot be stood in faithfully.
const AGENTS: AgentCase[] = [
  { backend: 'codex', keyVariable: 'OPENAI_API_KEY', basePath: '/v1' },
  { backend: 'claude', keyVariable: 'ANTHROPIC_API_KEY', basePath: '' },
  { backend: 'gemini', keyVariable: 'GEMINI_API_KEY', basePath: '' },
  {
    backend: 'copilot',
    keyVariable: 'COPILOT_PROVIDER_API_KEY',
    basePath: '/v1',
    env: { SPECKIT_AGENT_MODEL: 'gpt-5.4' },
  },
];

describe.each(AGENTS)(
  '$backend, for real, against its API stand-in',
  ({ backend, keyVariable, basePath, env }) => {
    let api: ModelApi;
    let stack: TestStack;

    /** A worker for this agent and its stand-in, with the key `key` (empty: none). */
    const startWorker = (key: string) =>
      startTestStack({
        SPECKIT_AGENT: backend,
        SPECKIT_AGENT_BASE_URL: `${api.origin}${basePath}`,
        SPECKIT_JOB_NETWORK: api.network,
        ...env,
        [keyVariable]: key,
      });

    beforeAll(async () => {
      api = await startModelApi(undefined, { mode: 'work', key: KEY });
      stack = await startWorker(KEY);
    });
    afterAll(async () => {
      await stack?.stop();
      await api?.remove();
    });

    async function run(
      description: string,
      timeouts: Record<string, number> = {},
      on: TestStack = stack,
    ): Promise<{ result: RunSummary; remote: string }> {
      const remote = await makeSampleRepo();
      const { runId } = await on.client.startRun({ repo: remote, specifyText: description, timeouts });
      return { result: await on.client.result(runId), remote };
    }

    it('runs specify, plan and tasks through the CLI and pushes the documents it wrote', async () => {
      const { result, remote } = await run('Export the to-do list as CSV files');
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('succeeded');
      const files = (await git(remote, 'ls-tree', '-r', '--name-only', result.branch as string)).split('\n');
      const feature = files.find((f) => f.endsWith('/spec.md'))?.replace(/\/spec\.md$/, '');
      expect(feature).toMatch(/^specs\/001-/);
      for (const doc of ['spec.md', 'plan.md', 'tasks.md']) expect(files).toContain(`${feature}/${doc}`);
      const spec = await git(remote, 'show', `${result.branch}:${feature}/spec.md`);
      expect(spec).toContain('Export the to-do list as CSV files');

      const environment = JSON.parse(
        await readFile(path.join(result.artifactsDir as string, 'environment.json'), 'utf8'),
      );
      expect(environment.agent).toMatchObject({ backend, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });

      const requests = (await api.requests()).filter((r) => r.provider);
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.every((r) => r.keyMatched)).toBe(true);
      expect(await containersOf(stack, result.runId)).toEqual([]);
    });

    it('fails with PhaseOutputMissing when the model writes nothing, after one retry, and pushes nothing', async () => {
      await api.setScenario({ mode: 'nothing', key: KEY });
      try {
        const { result, remote } = await run('Archive finished items');
        expect(result.status).toBe('failed');
        expect(result.error).toMatch(/phase specify exited 0 without leaving/);
        expect(result.steps.find((p) => p.name === 'specify')).toMatchObject({
          status: 'failed',
          attempt: 2,
        });
        expect((await git(remote, 'for-each-ref', '--format=%(refname)')).trim()).toBe('refs/heads/main');
      } finally {
        await api.setScenario({ mode: 'work', key: KEY });
      }
    });

    it('fails with AgentAuthFailed when the endpoint refuses the key', async () => {
      await api.setScenario({ mode: 'work', key: 'another-key-the-worker-does-not-have' });
      try {
        const { result } = await run('Tag items with colours');
        expect(result.status).toBe('failed');
        const specify = result.steps.find((p) => p.name === 'specify');
        expect(specify?.status).toBe('failed');
        expect(result.error).toMatch(new RegExp(`agent ${backend} was refused by its endpoint`));
        expect(result.error).toContain(keyVariable);
        expect(result.error).not.toContain(KEY);
      } finally {
        await api.setScenario({ mode: 'work', key: KEY });
      }
    });

    it('stops an agent whose model streams nothing as AgentStalled, retried once', async () => {
      await api.setScenario({ mode: 'stall', key: KEY });
      try {
        const { result } = await run('Sort items by due date', { agentStallSeconds: 10 });
        expect(result.status).toBe('failed');
        expect(result.error).toMatch(/printed nothing and changed no file for 10s/);
        expect(result.steps.find((p) => p.name === 'specify')).toMatchObject({
          status: 'failed',
          attempt: 2,
        });
      } finally {
        await api.setScenario({ mode: 'work', key: KEY });
      }
    });

    it('fails before any phase with AgentKeyMissing when the worker has no key', async () => {
      // A worker of its own: a worker reads its keys once, as it starts.
      const keyless = await startWorker('');
      try {
        const { result } = await run('Add a footer', {}, keyless);
        expect(result.status).toBe('failed');
        expect(result.error).toMatch(new RegExp(`agent ${backend} needs an API key: set .*${keyVariable}`));
        expect(result.steps.every((p) => p.status === 'skipped')).toBe(true);
      } finally {
        await keyless.stop();
      }
    });

    it('fails before any phase with AgentEndpointUnreachable once the stand-in is gone', async () => {
      await api.stop();
      const started = Date.now();
      const { result } = await run('Print the list');
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/its endpoint .* does not answer from the job network container:/);
      expect(result.steps.every((p) => p.status === 'skipped')).toBe(true);
    });
  },
);
