import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../src/containers/identity.js';
import {
  makeSampleRepo,
  runningStepContainer,
  startTestStack,
  type TestStack,
} from '../support/test-stack.js';

const GIT_SECRET = 'ghp_hardeningSecret000000000000000000000';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ GITHUB_TOKEN: GIT_SECRET });
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
      [LABELS.step]: 'specify',
      [LABELS.attempt]: '1',
    });
    expect(Date.parse(info.Config.Labels[LABELS.expiresAt] as string)).toBeGreaterThan(Date.now());
    // An agent phase never sees the git token.
    expect(info.Config.Env.join('\n')).not.toContain(GIT_SECRET);

    await stack.client.cancel(runId);
    expect((await stack.client.result(runId)).status).toBe('cancelled');
  });
});
