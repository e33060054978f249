import { afterEach, describe, expect, it, vi } from 'vitest';
import { codex } from '../../src/agents/codex.js';

const UNATTENDED = [
  '--dangerously-bypass-approvals-and-sandbox',
  '--ephemeral',
  '--color',
  'never',
  '--strict-config',
];

function config(endpoint: Parameters<typeof codex.invocation>[0]['endpoint']): string {
  const { files } = codex.invocation({ phase: 'plan', args: '', endpoint });
  expect(files.map((f) => f.path)).toEqual(['.codex/config.toml']);
  return files[0]?.content ?? '';
}

/** The config's settings, comments and blank lines left out. */
const settings = (toml: string) => toml.split('\n').filter((l) => l && !l.startsWith('#'));

describe('the Codex driver', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("runs the phase's skill with codex exec, unattended, as Spec Kit's build_exec_args does", () => {
    const { argv, env } = codex.invocation({ phase: 'specify', args: 'Add photo albums', endpoint: {} });
    expect(argv).toEqual(['codex', 'exec', ...UNATTENDED, '$speckit-specify Add photo albums']);
    expect(codex.cli).toBe(argv[0]);
    expect(env).toEqual({});
  });

  it('names the phase alone when it has no arguments, and passes the model before the prompt', () => {
    const { argv } = codex.invocation({ phase: 'tasks', args: '', model: 'gpt-6.1-sol', endpoint: {} });
    expect(argv).toEqual(['codex', 'exec', ...UNATTENDED, '--model', 'gpt-6.1-sol', '$speckit-tasks']);
  });

  it('hands the key to Codex as CODEX_API_KEY, from CODEX_API_KEY or OPENAI_API_KEY', () => {
    expect(codex.key).toEqual({ from: ['CODEX_API_KEY', 'OPENAI_API_KEY'], to: 'CODEX_API_KEY' });
    expect(codex.defaultBaseUrl).toBe('https://api.openai.com/v1');
  });

  it('turns off analytics, feedback, telemetry export, update checks, plugin and app sync, web search', () => {
    expect(settings(config({}))).toEqual([
      'check_for_update_on_startup = false',
      'web_search = "disabled"',
      '[analytics]',
      'enabled = false',
      '[feedback]',
      'enabled = false',
      '[otel]',
      'exporter = "none"',
      'trace_exporter = "none"',
      'metrics_exporter = "none"',
      '[features]',
      'plugins = false',
      'remote_plugin = false',
      'apps = false',
      'tool_suggest = false',
    ]);
  });

  it("keeps Codex's built-in OpenAI provider when no base URL is configured", () => {
    const toml = config({});
    expect(toml).not.toContain('model_provider');
    expect(toml).not.toContain('[model_providers');
  });

  it('defines a Responses API provider for a configured base URL that reads the key from CODEX_API_KEY', () => {
    const lines = settings(config({ baseUrl: 'https://gateway.example/openai/v1' }));
    expect(lines).toContain('model_provider = "speckit-endpoint"');
    expect(lines.slice(lines.indexOf('[model_providers.speckit-endpoint]'))).toEqual([
      '[model_providers.speckit-endpoint]',
      'name = "Spec Kit Automation endpoint"',
      'base_url = "https://gateway.example/openai/v1"',
      'wire_api = "responses"',
      'env_key = "CODEX_API_KEY"',
    ]);
    // Top-level keys come before the first table, or TOML would file them under that table.
    expect(lines.indexOf('model_provider = "speckit-endpoint"')).toBeLessThan(lines.indexOf('[analytics]'));
  });

  it('adds query parameters and sends the key only in the header the gateway names', () => {
    const lines = settings(
      config({
        baseUrl: 'https://example.openai.azure.com/openai/v1',
        queryParams: { 'api-version': '2025-04-01-preview' },
        keyHeader: 'api-key',
      }),
    );
    expect(lines.slice(lines.indexOf('[model_providers.speckit-endpoint]'))).toEqual([
      '[model_providers.speckit-endpoint]',
      'name = "Spec Kit Automation endpoint"',
      'base_url = "https://example.openai.azure.com/openai/v1"',
      'wire_api = "responses"',
      '[model_providers.speckit-endpoint.query_params]',
      '"api-version" = "2025-04-01-preview"',
      '[model_providers.speckit-endpoint.env_http_headers]',
      '"api-key" = "CODEX_API_KEY"',
    ]);
  });

  it('keeps the bearer token when the key header named is Authorization', () => {
    const lines = settings(config({ baseUrl: 'https://gateway.example/v1', keyHeader: 'Authorization' }));
    expect(lines).toContain('env_key = "CODEX_API_KEY"');
    expect(lines.join('\n')).not.toContain('env_http_headers');
  });

  it('quotes values as TOML strings', () => {
    const lines = settings(
      config({ baseUrl: 'https://gw.example/v1?x="y"', queryParams: { 'a b': 'c\\d' } }),
    );
    expect(lines).toContain('base_url = "https://gw.example/v1?x=\\"y\\""');
    expect(lines).toContain('"a b" = "c\\\\d"');
  });

  it('never writes a key value, only the name of its variable', () => {
    // Set where a driver could only find it by reading this process's environment, which none may.
    vi.stubEnv('CODEX_API_KEY', 'sk-secret-value');
    const invocation = codex.invocation({
      phase: 'specify',
      args: 'x',
      endpoint: { baseUrl: 'https://gw.example/v1', keyHeader: 'api-key' },
    });
    expect(JSON.stringify(invocation)).not.toContain('sk-secret-value');
  });

  it('accepts every endpoint setting', () => {
    expect(
      codex.unsupportedEndpoint?.({
        baseUrl: 'https://gw/v1',
        queryParams: { a: 'b' },
        keyHeader: 'api-key',
      }),
    ).toBe(undefined);
  });
});
