import { describe, expect, it } from 'vitest';
import { classifyAgentFailure } from '../../src/agents/agent-failure.js';

describe('agent failures', () => {
  it.each([
    [127, 'bash: codex: command not found', 'AgentNotInstalled'],
    [1, 'Error: 401 Unauthorized: Incorrect API key provided', 'AgentAuthFailed'],
    [1, 'ERROR: unexpected status 401 Unauthorized: Incorrect API key provided', 'AgentAuthFailed'],
    [1, 'Invalid API key · Fix external API key', 'AgentAuthFailed'],
    [
      1,
      '{"error":{"code":400,"message":"API key not valid. Please pass a valid API key."}}',
      'AgentAuthFailed',
    ],
    [1, 'Authentication failed with provider at http://127.0.0.1:8080/v1 (HTTP 401).', 'AgentAuthFailed'],
    [41, 'When using Gemini API, you must specify the GEMINI_API_KEY environment variable.', 'PhaseFailed'],
    [3, '[scripted-agent] plan: failing on purpose', 'PhaseFailed'],
    [1, 'error: tasks.md not found', 'PhaseFailed'],
  ])('exit %i with %j is %s', (exitCode, stderr, type) => {
    expect(classifyAgentFailure(exitCode, stderr)).toBe(type);
  });
});
