import { describe, expect, it } from 'vitest';
import { agentCommand } from '../../src/agents/agent-command.js';
import { resolveAgent } from '../../src/agents/resolve-agent.js';

const endpoint = {};

describe('agent commands', () => {
  it("follow Spec Kit's conventions: codex takes its skill with $, claude /speckit-, gemini /speckit.", () => {
    expect(agentCommand({ backend: 'codex' }, 'specify', 'Add albums', endpoint).argv).toEqual(
      expect.arrayContaining(['codex', 'exec', '$speckit-specify Add albums']),
    );
    expect(agentCommand({ backend: 'claude' }, 'plan', '', endpoint).argv.slice(0, 3)).toEqual([
      'claude',
      '-p',
      '/speckit-plan',
    ]);
    expect(agentCommand({ backend: 'gemini' }, 'tasks', '', endpoint).argv).toEqual(
      expect.arrayContaining(['gemini', '/speckit.tasks']),
    );
  });

  it("extra arguments come last, after Spec Kit's own and the model", () => {
    const argv = agentCommand(
      { backend: 'codex', model: 'gpt-5', extraArgs: ['-c', 'x=1'] },
      'plan',
      '',
      endpoint,
    ).argv;
    expect(argv.slice(-2)).toEqual(['-c', 'x=1']);
    expect(argv).toEqual(expect.arrayContaining(['--model', 'gpt-5']));
  });

  it('the scripted agent gets its options as environment variables', () => {
    const cmd = agentCommand(
      {
        backend: 'scripted',
        options: { delaySeconds: 2, failPhase: 'plan', failExitCode: 4, clarifications: 1, noop: true },
      },
      'specify',
      'Add albums',
      { baseUrl: 'http://ignored.invalid/v1' },
    );
    expect(cmd).toEqual({
      argv: ['scripted-agent', 'specify', 'Add albums'],
      env: {
        SCRIPTED_AGENT_DELAY_SECONDS: '2',
        SCRIPTED_AGENT_FAIL_PHASE: 'plan',
        SCRIPTED_AGENT_FAIL_EXIT_CODE: '4',
        SCRIPTED_AGENT_CLARIFICATIONS: '1',
        SCRIPTED_AGENT_NOOP: '1',
      },
      files: [],
    });
  });
});

describe("a run's agent, resolved against the worker's", () => {
  const worker = { backend: 'codex' as const, model: 'gpt-5', extraArgs: ['-c', 'a=1'] };

  it('a run naming nothing gets the worker agent, model and extra args', () => {
    expect(resolveAgent(undefined, worker)).toEqual(worker);
  });

  it("the worker's extra args come first and the run's are added, never replaced", () => {
    expect(resolveAgent({ backend: 'codex', extraArgs: ['-c', 'b=2'] }, worker)).toEqual({
      backend: 'codex',
      model: 'gpt-5',
      extraArgs: ['-c', 'a=1', '-c', 'b=2'],
    });
  });

  it('a model given without a backend is kept', () => {
    expect(resolveAgent({ model: 'o3' }, worker)).toMatchObject({ backend: 'codex', model: 'o3' });
  });

  it("another backend gets none of the worker's codex flags or model", () => {
    expect(resolveAgent({ backend: 'claude' }, worker)).toEqual({ backend: 'claude', model: undefined });
  });
});
