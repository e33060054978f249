// The scripted agent's test hooks (agent.options) reach it only from a worker started with
// SPECKIT_TEST_HOOKS=1: preflight refuses them otherwise, before it touches Docker.
import { ApplicationFailure } from '@temporalio/common';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { createPreflight } from '../../src/activities/preflight.js';
import { refusedTestHooks } from '../../src/agents/test-hooks.js';
import { loadConfig } from '../../src/config.js';
import { parseRunInput, type RunInputRaw, SCRIPTED_HOOK_LIMITS } from '../../src/run/input.js';

const input = (agent: RunInputRaw['agent']) =>
  parseRunInput({ repo: 'https://github.com/acme/app.git', specifyText: 'Add photo albums', agent });

/** Preflight on a worker with this environment; Docker is the first thing it would ask after the input. */
function preflight(env: Record<string, string>, agent: RunInputRaw['agent']) {
  const docker = new Error('asked Docker');
  const { preflight } = createPreflight({
    config: loadConfig({ SPECKIT_AGENT: 'scripted', ...env }),
    jobs: { checkReady: () => Promise.reject(docker) },
    docker: {} as Docker,
    agentKeys: {},
  });
  return { docker, result: preflight({ input: input(agent), runId: 'r1' }) };
}

describe('test hooks', () => {
  it('are off unless the worker is started with SPECKIT_TEST_HOOKS', () => {
    expect(loadConfig({}).testHooks).toBe(false);
    expect(loadConfig({ SPECKIT_TEST_HOOKS: '1' }).testHooks).toBe(true);
    expect(loadConfig({ SPECKIT_TEST_HOOKS: 'false' }).testHooks).toBe(false);
  });

  it('a production worker refuses them with an InvalidInput failure that names the setting', async () => {
    const { result } = preflight(
      {},
      { backend: 'scripted', options: { echoEnv: ['GITHUB_TOKEN'], noop: true } },
    );
    const refused = await result.catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect((refused as Error).message).toMatch(/agent\.options \(noop, echoEnv\) are test hooks/);
    expect((refused as Error).message).toContain('SPECKIT_TEST_HOOKS=1');
  });

  it('a worker started with SPECKIT_TEST_HOOKS=1 takes them; runs without them pass either way', async () => {
    const hooks = { backend: 'scripted', options: { delaySeconds: 1 } } as const;
    const allowed = preflight({ SPECKIT_TEST_HOOKS: '1' }, hooks);
    await expect(allowed.result).rejects.toBe(allowed.docker);
    const plain = preflight({}, { backend: 'scripted' });
    await expect(plain.result).rejects.toBe(plain.docker);
    expect(refusedTestHooks({ backend: 'scripted', options: {} }, false)).toBeUndefined();
  });

  it.each(Object.entries(SCRIPTED_HOOK_LIMITS))(
    'the run input takes %s within its limits only',
    (hook, { min, max }) => {
      const options = (value: number) => ({ backend: 'scripted' as const, options: { [hook]: value } });
      expect(input(options(min)).agent?.options).toEqual({ [hook]: min });
      expect(input(options(max)).agent?.options).toEqual({ [hook]: max });
      expect(() => input(options(min - 1))).toThrow(hook);
      expect(() => input(options(max + 1))).toThrow(hook);
    },
  );
});
