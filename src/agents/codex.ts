import { type AgentDriver, type AgentEndpoint, phasePrompt } from './agent-driver.js';

/** Where Codex sends its requests when no base URL is configured (its built-in `openai` provider). */
const OPENAI_API = 'https://api.openai.com/v1';

/** The variable Codex reads the key from: `codex exec` takes an API key from CODEX_API_KEY. */
const KEY_VARIABLE = 'CODEX_API_KEY';

/** The id of the provider config.toml defines for a configured endpoint (built-in ids cannot be redefined). */
const PROVIDER_ID = 'speckit-endpoint';

/**
 * The Codex CLI (`@openai/codex`), run the way Spec Kit's own `build_exec_args` runs it:
 * `codex exec "$speckit-<phase> <args>"`. `specify init --integration codex` installs the phases as
 * skills under .agents/skills/, which Codex injects when the prompt names one with `$`.
 */
export const codex: AgentDriver = {
  backend: 'codex',
  cli: 'codex',
  // `codex exec` uses an API key from CODEX_API_KEY with no login and no auth.json; it ignores
  // OPENAI_API_KEY (no Authorization header at all), so a worker's OPENAI_API_KEY is handed over
  // as CODEX_API_KEY. A configured endpoint's provider names the same variable (env_key).
  key: { from: ['CODEX_API_KEY', 'OPENAI_API_KEY'], to: KEY_VARIABLE },
  defaultBaseUrl: OPENAI_API,
  invocation: ({ phase, args, model, endpoint }) => ({
    argv: [
      'codex',
      // Non-interactive: one prompt, exit when the turn ends. The final answer alone goes to
      // standard output (analyze's report is read from there), the transcript to standard error.
      'exec',
      // No approval prompts (nobody is there to answer) and no sandbox of Codex's own: its Linux
      // sandbox (bubblewrap) needs user namespaces, which Docker's default seccomp profile denies,
      // so every command would fail. Codex documents this flag for environments that are
      // sandboxed externally; the job container is that sandbox.
      '--dangerously-bypass-approvals-and-sandbox',
      // Nothing ever resumes a phase's session: no session files in the run's HOME.
      '--ephemeral',
      // The log is read as text, not by a terminal: no ANSI colour codes.
      '--color',
      'never',
      // Fail on a config.toml setting this Codex does not know instead of ignoring it: those
      // settings keep telemetry off and requests on the endpoint, so one that an upgrade renamed
      // must stop the phase, not be skipped silently. (It checks our file only: Codex does not
      // load the repository's own .codex/config.toml in a project nobody marked trusted.)
      '--strict-config',
      ...(model ? ['--model', model] : []),
      phasePrompt(`$speckit-${phase}`, args),
    ],
    // None: Codex takes its settings from config.toml (it ignores OPENAI_BASE_URL, for one).
    env: {},
    files: [{ path: '.codex/config.toml', content: configToml(endpoint) }],
  }),
};

/**
 * $HOME/.codex/config.toml (Codex's user config; CODEX_HOME defaults to $HOME/.codex). Names the
 * key's variable, never its value.
 */
export function configToml(endpoint: AgentEndpoint): string {
  const lines = [
    '# Written by Spec Kit Automation for one unattended Spec Kit phase (src/agents/codex.ts).',
    '',
    '# No release check against api.github.com: the job image pins the Codex version.',
    'check_for_update_on_startup = false',
    '# No web tool: it calls a search endpoint beside /responses (which a gateway need not',
    "# offer), and a phase's inputs are the repository and the prompt, not the live web.",
    'web_search = "disabled"',
  ];
  if (endpoint.baseUrl) {
    lines.push('# Every model request goes to the configured endpoint (the provider defined below).');
    lines.push(`model_provider = ${toml(PROVIDER_ID)}`);
  }
  lines.push(
    '',
    '# No product analytics events (posted to the ChatGPT backend, /codex/analytics-events).',
    '[analytics]',
    'enabled = false',
    '',
    '# No feedback uploads (to Sentry, with session logs).',
    '[feedback]',
    'enabled = false',
    '',
    "# No OpenTelemetry export: metrics default to OpenAI's Statsig collector at",
    '# ab.chatgpt.com/otlp/v1/metrics; logs and traces are off by default and stay off.',
    '[otel]',
    'exporter = "none"',
    'trace_exporter = "none"',
    'metrics_exporter = "none"',
    '',
    '[features]',
    '# No plugin marketplace sync at start: it clones github.com/openai/plugins (git, then',
    '# api.github.com) and falls back to chatgpt.com/backend-api/plugins/export/curated.',
    'plugins = false',
    '# No remote plugin bundle sync (chatgpt.com).',
    'remote_plugin = false',
    '# No ChatGPT apps (connectors), which Codex reaches through chatgpt.com.',
    'apps = false',
    '# No suggestions to install connectors or plugins.',
    'tool_suggest = false',
  );
  if (endpoint.baseUrl) lines.push('', ...providerToml(endpoint));
  return `${lines.join('\n')}\n`;
}

/** A custom model provider for the configured endpoint (OpenAI Responses API over HTTP and SSE). */
function providerToml({ baseUrl, queryParams, keyHeader }: AgentEndpoint): string[] {
  // The key goes as `Authorization: Bearer` (env_key), or only in the header the gateway wants:
  // a second copy in Authorization could be taken for another credential on the way.
  const customHeader = keyHeader && keyHeader.toLowerCase() !== 'authorization' ? keyHeader : undefined;
  const table = `model_providers.${PROVIDER_ID}`;
  const lines = [
    `[${table}]`,
    'name = "Spec Kit Automation endpoint"',
    `base_url = ${toml(baseUrl ?? '')}`,
    '# The Responses API (POST <base_url>/responses), the only wire protocol Codex speaks; custom',
    '# providers use HTTP with server-sent events, not the WebSocket transport.',
    'wire_api = "responses"',
  ];
  if (!customHeader) {
    lines.push(
      '# The variable that holds the key (its name, not the key).',
      `env_key = ${toml(KEY_VARIABLE)}`,
    );
  }
  if (queryParams && Object.keys(queryParams).length > 0) {
    lines.push(
      '',
      '# Added to every request (Azure-style gateways: api-version).',
      `[${table}.query_params]`,
    );
    for (const [name, value] of Object.entries(queryParams)) lines.push(`${toml(name)} = ${toml(value)}`);
  }
  if (customHeader) {
    lines.push(
      '',
      `# The key is sent in ${customHeader}, read from the variable named here (its name, not the key).`,
      `[${table}.env_http_headers]`,
      `${toml(customHeader)} = ${toml(KEY_VARIABLE)}`,
    );
  }
  return lines;
}

/** A TOML basic string (JSON's string escapes are all valid TOML escapes). */
function toml(value: string): string {
  return JSON.stringify(value);
}
