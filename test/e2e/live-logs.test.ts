// `logs --follow` shows a phase's output as the agent writes it, not once the redaction in front of
// the log files has gathered kilobytes: a quiet or stuck agent's few lines are visible while it runs.
import { describe, expect, it } from 'vitest';
import { spawnCli, useCliStack } from '../support/cli.js';
import { eventually, makeSampleRepo, runningStepContainer } from '../support/test-stack.js';

const { stack } = useCliStack();

const DELAY_SECONDS = 60;

describe('logs --follow on a running phase', () => {
  it('shows the agent’s one short line within seconds, while the phase still runs', async () => {
    const { runId } = await stack().client.startRun({
      repo: await makeSampleRepo(),
      specifyText: 'Let users rename a list',
      agent: { backend: 'scripted', options: { delaySeconds: DELAY_SECONDS } },
      publish: { mode: 'none' },
    });
    const follow = spawnCli(['logs', runId, '--phase', 'specify', '--follow']);
    try {
      const container = await runningStepContainer(stack(), runId, 'specify');
      const line = `[scripted-agent] specify: waiting ${DELAY_SECONDS}s (SCRIPTED_AGENT_DELAY_SECONDS)\n`;
      await eventually(
        async () => follow.output().includes(line),
        20_000,
        'the waiting line in logs --follow',
      );
      const shownAt = Date.now();
      const { State } = await stack().docker.getContainer(container.Id).inspect();
      // Still sleeping: the line came from a phase that has not finished, nor been let through by its end.
      expect(State.Running).toBe(true);
      const latencyMs = shownAt - Date.parse(State.StartedAt);
      expect(latencyMs).toBeLessThan(10_000);
      console.info(`logs --follow showed the phase's first line ${latencyMs} ms after its container started`);
      expect(follow.output()).toBe(`==> specify.stdout.log <==\n${line}`);
    } finally {
      await stack().client.cancel(runId);
      await stack().client.result(runId);
      // The run has finished, so --follow ends by itself.
      expect(await follow.exited).toBe(0);
    }
  });
});
