import { describe, expect, it } from 'vitest';
import { gemini } from '../../src/agents/gemini.js';

const settingsOf = (files: { path: string; content: string }[]) => {
  const file = files.find((f) => f.path === '.gemini/settings.json');
  expect(file).toBeDefined();
  return JSON.parse(file?.content ?? '{}');
};

/** The value an option takes in `argv`: the argument after it. */
const optionOf = (argv: string[], name: string) => argv[argv.indexOf(name) + 1];

describe('the gemini driver', () => {
  it('runs the Spec Kit command headless, auto-approved, unsandboxed, trusted, in plain text', () => {
    const { argv } = gemini.invocation({ phase: 'specify', args: 'Add albums', endpoint: {} });
    expect(argv[0]).toBe('gemini');
    // Nobody is there to approve a tool call.
    expect(optionOf(argv, '--approval-mode')).toBe('yolo');
    // The job container is the sandbox, and the fresh clone is to be trusted.
    expect(argv).toContain('--sandbox=false');
    expect(argv).toContain('--skip-trust');
    // The final answer alone on stdout, where analyze's report is read.
    expect(optionOf(argv, '--output-format')).toBe('text');
    expect(argv.slice(-2)).toEqual(['-p', '/speckit.specify Add albums']);
    // Nothing else: the program, four flags, two of them with a value, and the prompt.
    expect(argv).toHaveLength(9);
  });

  it('passes the model with --model and leaves the prompt without arguments alone', () => {
    const { argv } = gemini.invocation({ phase: 'plan', args: '', model: 'gemini-2.5-flash', endpoint: {} });
    expect(argv.slice(-4)).toEqual(['--model', 'gemini-2.5-flash', '-p', '/speckit.plan']);
  });

  it('selects API-key auth and turns off everything that phones home, without a key value', () => {
    const { files } = gemini.invocation({ phase: 'tasks', args: '', endpoint: {} });
    const settings = settingsOf(files);
    expect(settings.security.auth.selectedType).toBe('gemini-api-key');
    expect(settings.privacy.usageStatisticsEnabled).toBe(false);
    expect(settings.telemetry.enabled).toBe(false);
    expect(settings.general.enableAutoUpdate).toBe(false);
    expect(settings.general.enableAutoUpdateNotification).toBe(false);
    expect(settings.security.environmentVariableRedaction.enabled).toBe(true);
    expect(JSON.stringify(files)).not.toMatch(/apiKey|test-key/i);
  });

  it("pins the base URL, Google's by default, and the sandbox and telemetry switches in the environment", () => {
    expect(gemini.invocation({ phase: 'plan', args: '', endpoint: {} }).env).toEqual({
      GOOGLE_GEMINI_BASE_URL: 'https://generativelanguage.googleapis.com',
      GEMINI_SANDBOX: 'false',
      GEMINI_TELEMETRY_ENABLED: 'false',
      NO_COLOR: '1',
    });
    const env = gemini.invocation({
      phase: 'plan',
      args: '',
      endpoint: { baseUrl: 'http://127.0.0.1:8080' },
    }).env;
    expect(env.GOOGLE_GEMINI_BASE_URL).toBe('http://127.0.0.1:8080');
    expect(gemini.defaultBaseUrl).toBe('https://generativelanguage.googleapis.com');
  });

  it('reads its key from GEMINI_API_KEY', () => {
    expect(gemini.key).toEqual({ from: ['GEMINI_API_KEY'], to: 'GEMINI_API_KEY' });
  });

  it('sends the key as a bearer token when the gateway wants it in Authorization', () => {
    const env = gemini.invocation({ phase: 'plan', args: '', endpoint: { keyHeader: 'Authorization' } }).env;
    expect(env.GEMINI_API_KEY_AUTH_MECHANISM).toBe('bearer');
    expect(gemini.unsupportedEndpoint?.({ keyHeader: 'Authorization' })).toBeUndefined();
    expect(gemini.unsupportedEndpoint?.({ keyHeader: 'x-goog-api-key' })).toBeUndefined();
  });

  it('refuses endpoint settings it cannot honour, and says why', () => {
    expect(gemini.unsupportedEndpoint?.({ baseUrl: 'https://gw.example' })).toBeUndefined();
    expect(gemini.unsupportedEndpoint?.({ queryParams: {} })).toBeUndefined();
    expect(gemini.unsupportedEndpoint?.({ queryParams: { 'api-version': '2024-06-01' } })).toMatch(
      /query parameters/,
    );
    expect(gemini.unsupportedEndpoint?.({ keyHeader: 'api-key' })).toMatch(/x-goog-api-key.*api-key/);
  });
});
