import { describe, expect, it } from 'vitest';
import { agentEnvironment, describeKey, passthroughFrom } from '../../src/agents/agent-environment.js';
import { driverFor } from '../../src/agents/drivers.js';
import type { AgentBackend } from '../../src/run/input.js';
import { gitCredentialEnv, readWorkerSecrets, secretValues } from '../../src/secrets.js';

const GIT_SECRET = 'ghp_secretsTest000000000000000000000000';
const env = {
  GITHUB_TOKEN: GIT_SECRET,
  OPENAI_API_KEY: 'sk-openai-000000',
  ANTHROPIC_API_KEY: 'sk-ant-000000',
  GEMINI_API_KEY: 'gemini-000000',
  HTTPS_PROXY: 'http://proxy.internal:3128',
  AWS_SECRET_ACCESS_KEY: 'aws-000000',
};

/** What an agent phase's container gets from a worker started with `workerEnv`. */
function environment(backend: AgentBackend, workerEnv: Record<string, string> = env) {
  const { agentKeys } = readWorkerSecrets(workerEnv);
  return agentEnvironment(driverFor(backend), {}, agentKeys, passthroughFrom(workerEnv));
}

describe('the worker secrets', () => {
  it('are read once from the environment: the git token and the agent keys, nothing else', () => {
    const secrets = readWorkerSecrets(env);
    expect(secrets).toEqual({
      gitToken: GIT_SECRET,
      agentKeys: {
        OPENAI_API_KEY: 'sk-openai-000000',
        ANTHROPIC_API_KEY: 'sk-ant-000000',
        GEMINI_API_KEY: 'gemini-000000',
      },
    });
    expect(secretValues(secrets)).not.toContain('aws-000000');
  });

  it('take the git token from the first of GIT_TOKEN, GITHUB_TOKEN and GH_TOKEN that is set', () => {
    expect(readWorkerSecrets({ GH_TOKEN: 'gh', GITHUB_TOKEN: 'github' }).gitToken).toBe('github');
    expect(readWorkerSecrets({ GH_TOKEN: 'gh', GITHUB_TOKEN: '', GIT_TOKEN: 'git' }).gitToken).toBe('git');
    expect(readWorkerSecrets({}).gitToken).toBeUndefined();
  });
});

describe('secrets per step', () => {
  it('clone and push get the git token, through a credential helper that reads the environment', () => {
    const git = gitCredentialEnv(readWorkerSecrets(env).gitToken);
    expect(git).toMatchObject({
      GIT_TOKEN: GIT_SECRET,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_KEY_0: 'credential.helper',
    });
    expect(git.GIT_CONFIG_VALUE_0).not.toContain(GIT_SECRET);
    expect(Object.values(git).join('\n')).not.toMatch(/openai|sk-ant|gemini-/);
    expect(gitCredentialEnv(undefined)).toEqual({ GIT_TERMINAL_PROMPT: '0' });
  });

  it("each agent phase gets its own agent's key, in the variable its CLI reads, and the allowed proxy settings", () => {
    const proxy = { HTTPS_PROXY: 'http://proxy.internal:3128' };
    expect(environment('codex')).toEqual({ ...proxy, CODEX_API_KEY: 'sk-openai-000000' });
    expect(environment('codex', { ...env, CODEX_API_KEY: 'codex-1' })).toMatchObject({
      CODEX_API_KEY: 'codex-1',
    });
    expect(environment('claude')).toEqual({ ...proxy, ANTHROPIC_API_KEY: 'sk-ant-000000' });
    expect(environment('gemini')).toEqual({ ...proxy, GEMINI_API_KEY: 'gemini-000000' });
    expect(environment('scripted')).toEqual(proxy);
  });

  it('says which variable a key came from', () => {
    const { agentKeys } = readWorkerSecrets(env);
    expect(describeKey(driverFor('codex'), {}, agentKeys)).toBe(
      'CODEX_API_KEY (from OPENAI_API_KEY on the worker)',
    );
    expect(describeKey(driverFor('claude'), {}, agentKeys)).toBe('ANTHROPIC_API_KEY');
    expect(describeKey(driverFor('claude'), {}, {})).toBe('ANTHROPIC_API_KEY (not set)');
  });
});
