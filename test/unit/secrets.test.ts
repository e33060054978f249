import { describe, expect, it } from 'vitest';
import { agentEnvironment, describeKey } from '../../src/agents/agent-environment.js';
import { driverFor } from '../../src/agents/drivers.js';
import { gitCredentialEnv } from '../../src/secrets.js';

const GIT_SECRET = 'ghp_secretsTest000000000000000000000000';
const env = {
  GITHUB_TOKEN: GIT_SECRET,
  OPENAI_API_KEY: 'sk-openai-000000',
  ANTHROPIC_API_KEY: 'sk-ant-000000',
  GEMINI_API_KEY: 'gemini-000000',
  HTTPS_PROXY: 'http://proxy.internal:3128',
  AWS_SECRET_ACCESS_KEY: 'aws-000000',
};

describe('secrets per step', () => {
  it('clone and push get the git token, through a credential helper that reads the environment', () => {
    const git = gitCredentialEnv(env);
    expect(git).toMatchObject({
      GIT_TOKEN: GIT_SECRET,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_KEY_0: 'credential.helper',
    });
    expect(git.GIT_CONFIG_VALUE_0).not.toContain(GIT_SECRET);
    expect(Object.values(git).join('\n')).not.toMatch(/openai|sk-ant|gemini-/);
  });

  it("each agent phase gets its own agent's key, in the variable its CLI reads, and the allowed proxy settings", () => {
    const proxy = { HTTPS_PROXY: 'http://proxy.internal:3128' };
    expect(agentEnvironment(driverFor('codex'), {}, env)).toEqual({
      ...proxy,
      CODEX_API_KEY: 'sk-openai-000000',
    });
    expect(agentEnvironment(driverFor('codex'), {}, { ...env, CODEX_API_KEY: 'codex-1' })).toMatchObject({
      CODEX_API_KEY: 'codex-1',
    });
    expect(agentEnvironment(driverFor('claude'), {}, env)).toEqual({
      ...proxy,
      ANTHROPIC_API_KEY: 'sk-ant-000000',
    });
    expect(agentEnvironment(driverFor('gemini'), {}, env)).toEqual({
      ...proxy,
      GEMINI_API_KEY: 'gemini-000000',
    });
    expect(agentEnvironment(driverFor('scripted'), {}, env)).toEqual(proxy);
  });

  it('says which variable a key came from', () => {
    expect(describeKey(driverFor('codex'), {}, env)).toBe(
      'CODEX_API_KEY (from OPENAI_API_KEY on the worker)',
    );
    expect(describeKey(driverFor('claude'), {}, env)).toBe('ANTHROPIC_API_KEY');
    expect(describeKey(driverFor('claude'), {}, {})).toBe('ANTHROPIC_API_KEY (not set)');
  });
});
