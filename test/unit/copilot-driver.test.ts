import { describe, expect, it } from 'vitest';
import { copilot } from '../../src/agents/copilot.js';

/** The flags unattended use needs, by what each group is for. */
const FLAGS_FOR: Record<string, string[]> = {
  'nobody is there to approve a tool or answer a question': ['--yolo', '--no-ask-user'],
  "stdout holds the agent's messages only, without colour codes": ['--silent', '--no-color'],
  'nothing but model calls leaves the container': [
    '--no-auto-update',
    '--disable-client-telemetry',
    '--disable-builtin-mcps',
  ],
};

describe('the GitHub Copilot CLI driver', () => {
  it("runs the phase's skill in prompt mode, with nothing but the unattended flags", () => {
    const { argv, files } = copilot.invocation({ phase: 'specify', args: 'Add photo albums', endpoint: {} });
    expect(argv.slice(0, 3)).toEqual(['copilot', '-p', '/speckit-specify Add photo albums']);
    expect(argv.slice(3).sort()).toEqual(Object.values(FLAGS_FOR).flat().sort());
    expect(copilot.cli).toBe(argv[0]);
    expect(files).toEqual([]);
  });

  it.each(Object.entries(FLAGS_FOR))('runs unattended: %s', (_why, flags) => {
    const { argv } = copilot.invocation({ phase: 'tasks', args: '', endpoint: {} });
    expect(argv).toEqual(expect.arrayContaining(flags));
  });

  it('names the phase alone when it has no arguments, and passes the model last', () => {
    const { argv } = copilot.invocation({ phase: 'plan', args: '', model: 'gpt-5.4', endpoint: {} });
    expect(argv.slice(0, 3)).toEqual(['copilot', '-p', '/speckit-plan']);
    expect(argv.slice(-2)).toEqual(['--model', 'gpt-5.4']);
  });

  it("talks to GitHub's Copilot service with no base URL, auto-update off", () => {
    const { env } = copilot.invocation({ phase: 'tasks', args: '', endpoint: {} });
    expect(env).toEqual({ COPILOT_AUTO_UPDATE: 'false' });
    expect(copilot.defaultBaseUrl).toBe('https://api.githubcopilot.com');
  });

  it('takes the key from COPILOT_GITHUB_TOKEN only, never from the git token variables', () => {
    expect(copilot.key).toEqual({ from: ['COPILOT_GITHUB_TOKEN'], to: 'COPILOT_GITHUB_TOKEN' });
    for (const name of ['GIT_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN'])
      expect(copilot.key?.from).not.toContain(name);
  });

  it('uses a base URL as an offline OpenAI Responses provider, its key in COPILOT_PROVIDER_API_KEY', () => {
    const { env } = copilot.invocation({
      phase: 'plan',
      args: '',
      model: 'gpt-5.4',
      endpoint: { baseUrl: 'http://127.0.0.1:8080/v1' },
    });
    expect(env).toEqual({
      COPILOT_AUTO_UPDATE: 'false',
      COPILOT_PROVIDER_BASE_URL: 'http://127.0.0.1:8080/v1',
      COPILOT_PROVIDER_TYPE: 'openai',
      COPILOT_PROVIDER_WIRE_API: 'responses',
      COPILOT_OFFLINE: 'true',
    });
    expect(copilot.gatewayKey).toEqual({
      from: ['COPILOT_PROVIDER_API_KEY', 'OPENAI_API_KEY'],
      to: 'COPILOT_PROVIDER_API_KEY',
    });
  });

  it('uses its Azure provider for the api-key header and api-version', () => {
    const azure = (endpoint: Parameters<typeof copilot.invocation>[0]['endpoint']) =>
      copilot.invocation({ phase: 'plan', args: '', model: 'gpt-5.4', endpoint }).env;
    expect(azure({ baseUrl: 'https://res.openai.azure.com', keyHeader: 'api-key' })).toMatchObject({
      COPILOT_PROVIDER_TYPE: 'azure',
    });
    const versioned = azure({
      baseUrl: 'https://res.openai.azure.com',
      queryParams: { 'api-version': '2025-04-01-preview' },
    });
    expect(versioned).toMatchObject({
      COPILOT_PROVIDER_TYPE: 'azure',
      COPILOT_PROVIDER_AZURE_API_VERSION: '2025-04-01-preview',
    });
  });

  it('accepts the endpoint settings it can use', () => {
    expect(copilot.unsupportedEndpoint?.({})).toBeUndefined();
    expect(
      copilot.unsupportedEndpoint?.({ baseUrl: 'https://gateway.example/v1' }, 'gpt-5.4'),
    ).toBeUndefined();
    expect(
      copilot.unsupportedEndpoint?.(
        { baseUrl: 'https://gw.example/v1', keyHeader: 'Authorization' },
        'gpt-5.4',
      ),
    ).toBeUndefined();
    expect(
      copilot.unsupportedEndpoint?.(
        {
          baseUrl: 'https://res.openai.azure.com',
          keyHeader: 'api-key',
          queryParams: { 'api-version': '2024-10-21' },
        },
        'gpt-5.4',
      ),
    ).toBeUndefined();
  });

  it('says why it cannot use the other endpoint settings', () => {
    expect(copilot.unsupportedEndpoint?.({ baseUrl: 'https://gw.example/v1' })).toMatch(/needs a model/);
    expect(copilot.unsupportedEndpoint?.({ keyHeader: 'api-key' })).toMatch(/set SPECKIT_AGENT_BASE_URL/);
    expect(copilot.unsupportedEndpoint?.({ queryParams: { 'api-version': '1' } })).toMatch(
      /only to a custom provider/,
    );
    expect(
      copilot.unsupportedEndpoint?.(
        { baseUrl: 'https://gw.example/v1', queryParams: { tenant: 'a' } },
        'gpt-5.4',
      ),
    ).toMatch(/cannot add query parameters to its requests \(tenant\)/);
    expect(
      copilot.unsupportedEndpoint?.({ baseUrl: 'https://gw.example/v1', keyHeader: 'x-api-key' }, 'gpt-5.4'),
    ).toMatch(/not in x-api-key/);
    expect(
      copilot.unsupportedEndpoint?.(
        {
          baseUrl: 'https://gw.example',
          keyHeader: 'authorization',
          queryParams: { 'api-version': '1' },
        },
        'gpt-5.4',
      ),
    ).toMatch(/sends the key as api-key/);
    expect(copilot.unsupportedEndpoint?.({ baseUrl: 'https://gw.example/v1?x=1' }, 'gpt-5.4')).toMatch(
      /give https:\/\/gw\.example\/v1 as the base URL/,
    );
  });
});
