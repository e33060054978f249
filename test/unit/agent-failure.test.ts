import { describe, expect, it } from 'vitest';
import { classifyAgentFailure } from '../../src/agents/agent-failure.js';

describe('agent failures', () => {
  it.each([
    [127, 'bash: codex: command not found', 'AgentNotInstalled'],
    [1, 'Error: 401 Unauthorized: Incorrect API key provided', 'AgentAuthFailed'],
    [1, 'Not logged in. Please run /login', 'AgentAuthFailed'],
    [3, '[scripted-agent] plan: failing on purpose', 'PhaseFailed'],
    [1, 'error: tasks.md not found', 'PhaseFailed'],
  ])('exit %i with %j is %s', (exitCode, stderr, type) => {
    expect(classifyAgentFailure(exitCode, stderr)).toBe(type);
  });
});
