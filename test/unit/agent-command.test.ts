import { describe, expect, it } from 'vitest';
import { agentCommand } from '../../src/agents/agent-command.js';

describe('agent commands follow Spec Kit conventions', () => {
  it('codex runs its skill non-interactively', () => {
    expect(agentCommand({ backend: 'codex', model: 'gpt-5' }, 'specify', 'Add albums').argv).toEqual([
      'codex',
      'exec',
      '--model',
      'gpt-5',
      '$speckit-specify Add albums',
    ]);
  });

  it("extra arguments come after Spec Kit's own", () => {
    expect(agentCommand({ backend: 'claude', extraArgs: ['--verbose'] }, 'plan', '').argv).toEqual([
      'claude',
      '-p',
      '/speckit-plan',
      '--verbose',
    ]);
  });

  it('claude, gemini and copilot take a prompt with -p', () => {
    expect(agentCommand({ backend: 'claude' }, 'plan', '').argv).toEqual(['claude', '-p', '/speckit-plan']);
    expect(agentCommand({ backend: 'gemini' }, 'tasks', '').argv).toEqual(['gemini', '-p', '/speckit.tasks']);
    expect(agentCommand({ backend: 'copilot' }, 'plan', '').argv).toEqual([
      'copilot',
      '-p',
      '/speckit-plan',
      '--yolo',
    ]);
  });

  it('the scripted agent gets its options as environment variables', () => {
    const cmd = agentCommand(
      {
        backend: 'scripted',
        options: { delaySeconds: 2, failPhase: 'plan', failExitCode: 4, clarifications: 1, noop: true },
      },
      'specify',
      'Add albums',
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
    });
  });
});
