import { describe, expect, it } from 'vitest';
import type { AgentInvocationRequest } from '../../src/agents/agent-driver.js';
import { claude } from '../../src/agents/claude.js';

const UNATTENDED = [
  '--dangerously-skip-permissions',
  '--output-format',
  'text',
  '--no-session-persistence',
  '--strict-mcp-config',
];
const pinned = (baseUrl: string) => ['--settings', JSON.stringify({ env: { ANTHROPIC_BASE_URL: baseUrl } })];

describe('the Claude Code driver', () => {
  it.each<{ does: string; request: AgentInvocationRequest; prompt: string; last: string[] }>([
    {
      does: "runs the phase's skill in print mode, unattended, as Spec Kit's build_exec_args does",
      request: { phase: 'specify', args: 'Add photo albums', endpoint: {} },
      prompt: '/speckit-specify Add photo albums',
      last: [],
    },
    {
      does: 'names the phase alone when it has no arguments, and passes the model',
      request: { phase: 'plan', args: '', model: 'claude-sonnet-4-5', endpoint: {} },
      prompt: '/speckit-plan',
      last: ['--model', 'claude-sonnet-4-5'],
    },
  ])('$does', ({ request, prompt, last }) => {
    const { argv } = claude.invocation(request);
    expect(argv).toEqual([
      'claude',
      '-p',
      prompt,
      ...UNATTENDED,
      ...pinned('https://api.anthropic.com'),
      ...last,
    ]);
    expect(claude.cli).toBe(argv[0]);
  });

  it('turns off telemetry, error reports, auto-update and other nonessential traffic', () => {
    const { env, files } = claude.invocation({ phase: 'tasks', args: '', endpoint: {} });
    expect(env).toEqual({
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_AUTOUPDATER: '1',
    });
    expect(files).toEqual([]);
  });

  it('points Claude Code at a configured base URL', () => {
    const { env } = claude.invocation({
      phase: 'plan',
      args: '',
      endpoint: { baseUrl: 'http://127.0.0.1:8080' },
    });
    expect(env.ANTHROPIC_BASE_URL).toBe('http://127.0.0.1:8080');
  });

  it('takes the key from ANTHROPIC_API_KEY and never puts it in its environment or files', () => {
    expect(claude.key).toEqual({ from: ['ANTHROPIC_API_KEY'], to: 'ANTHROPIC_API_KEY' });
    const { env } = claude.invocation({ phase: 'plan', args: '', endpoint: { baseUrl: 'http://x' } });
    expect(Object.keys(env)).not.toContain('ANTHROPIC_API_KEY');
    expect(claude.defaultBaseUrl).toBe('https://api.anthropic.com');
  });

  it('accepts a base URL and the vendor key header', () => {
    expect(claude.unsupportedEndpoint?.({})).toBeUndefined();
    expect(claude.unsupportedEndpoint?.({ baseUrl: 'https://gateway.example/anthropic' })).toBeUndefined();
    expect(claude.unsupportedEndpoint?.({ keyHeader: 'X-Api-Key', queryParams: {} })).toBeUndefined();
  });

  it('says why it cannot use query parameters, another key header or a base URL ending in /v1', () => {
    expect(claude.unsupportedEndpoint?.({ queryParams: { 'api-version': '2024-06-01' } })).toMatch(
      /cannot add query parameters.*api-version/,
    );
    expect(claude.unsupportedEndpoint?.({ keyHeader: 'api-key' })).toMatch(
      /cannot send the key in the api-key header/,
    );
    expect(claude.unsupportedEndpoint?.({ baseUrl: 'https://gateway.example/v1' })).toMatch(
      /without \/v1 \(https:\/\/gateway\.example\)/,
    );
  });
});
