import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../src/containers/identity.js';
import { agentKeyEnv, gitCredentialEnv } from '../../src/secrets.js';
import {
  makeSampleRepo,
  runningStepContainer,
  startTestStack,
  type TestStack,
} from '../support/test-stack.js';

const GIT_SECRET = 'ghp_hardeningSecret000000000000000000000';

let stack: TestStack;
beforeAll(async () => {
  process.env.GITHUB_TOKEN = GIT_SECRET;
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('job container hardening', () => {
  it('runs as a non-root user, without capabilities or the Docker socket, limited, with only its run mounted', async () => {
    const { runId } = await stack.client.startRun({
      repo: await makeSampleRepo(),
      specifyText: 'Pin important items',
      agent: { backend: 'scripted', options: { delaySeconds: 30 } },
    });
    const container = await runningStepContainer(stack, runId, 'specify');
    const info = await stack.docker.getContainer(container.Id).inspect();
    const runDir = `${stack.config.workspaceRoot}/runs/${runId}`;

    expect(info.Config.User).toBe('1000:1000');
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
    expect(info.HostConfig.PidsLimit).toBe(512);
    expect(info.HostConfig.Memory).toBe(2048 * 1024 * 1024);
    expect(info.HostConfig.NanoCpus).toBe(1e9);
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.Mounts.map((m) => [m.Source, m.Destination, m.RW])).toEqual([[runDir, runDir, true]]);
    expect(JSON.stringify(info.Mounts)).not.toContain('docker.sock');
    expect(info.Config.Env).toContain(`HOME=${runDir}/home`);
    expect(info.Config.Labels).toMatchObject({
      [LABELS.runId]: runId,
      [LABELS.workflowId]: runId,
      [LABELS.phase]: 'specify',
      [LABELS.attempt]: '1',
    });
    expect(Date.parse(info.Config.Labels[LABELS.expiresAt] as string)).toBeGreaterThan(Date.now());
    // An agent phase never sees the git token.
    expect(info.Config.Env.join('\n')).not.toContain(GIT_SECRET);

    await stack.client.cancel(runId);
    expect((await stack.client.result(runId)).status).toBe('cancelled');
  });
});

describe('secrets per step', () => {
  const env = {
    GITHUB_TOKEN: GIT_SECRET,
    CODEX_API_KEY: 'codex-key-000000',
    ANTHROPIC_API_KEY: 'sk-ant-000000',
    GEMINI_API_KEY: 'gemini-000000',
  };

  it('clone and push get the git token, through a credential helper that reads the environment', () => {
    const git = gitCredentialEnv(env);
    expect(git).toMatchObject({
      GIT_TOKEN: GIT_SECRET,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_KEY_0: 'credential.helper',
    });
    expect(git.GIT_CONFIG_VALUE_0).not.toContain(GIT_SECRET);
    expect(Object.values(git).join('\n')).not.toMatch(/codex-key|sk-ant|gemini-/);
  });

  it('each agent phase gets its own agent’s key and nothing else', () => {
    expect(agentKeyEnv('codex', env)).toEqual({ CODEX_API_KEY: 'codex-key-000000' });
    expect(agentKeyEnv('claude', env)).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-000000' });
    expect(agentKeyEnv('gemini', env)).toEqual({ GEMINI_API_KEY: 'gemini-000000' });
    expect(agentKeyEnv('scripted', env)).toEqual({});
    expect(agentKeyEnv('scripted', { ...env, SCRIPTED_AGENT_API_KEY: 'k' })).toEqual({
      SCRIPTED_AGENT_API_KEY: 'k',
    });
  });
});
