// GitHub Copilot CLI (@github/copilot 1.0.102) run headless in a job container. Names and
// behaviour below are 1.0.102's: `copilot --help`, `copilot help environment`, `copilot help
// providers`, and what the CLI did in a container with no network but a local logging server.
//
// Two ways to reach a model, chosen by SPECKIT_AGENT_BASE_URL:
//  - none: GitHub's Copilot service. The CLI checks the token at api.github.com
//    (/copilot_internal/user, /copilot_internal/managed_settings, ...) and sends model calls to the
//    Copilot API (https://api.githubcopilot.com, or the plan's endpoint that check returns). Neither
//    host can be configured through a documented setting.
//  - a base URL: Copilot's documented "custom model provider" (BYOK, `copilot help providers`):
//    OpenAI Responses at <base URL>/responses, or Azure OpenAI, with COPILOT_OFFLINE=true so that
//    nothing else (GitHub auth, telemetry, GitHub MCP server, update checks) goes out.
import { type AgentDriver, type AgentEndpoint, phasePrompt } from './agent-driver.js';

/** The Copilot API, where the CLI sends model calls by default. */
const COPILOT_API = 'https://api.githubcopilot.com';

/**
 * The one variable the key travels in. Copilot reads COPILOT_GITHUB_TOKEN before GH_TOKEN and
 * GITHUB_TOKEN; those two are also the worker's git token (secrets.ts), which can push, and which
 * must not reach a phase where the agent runs any shell command it likes (the CLI removes its
 * token variables from its tools' environment, but they stay readable in /proc). Copilot also
 * refuses classic tokens (ghp_), what git tokens often are: it takes a fine-grained token with the
 * "Copilot Requests" permission, or an OAuth token of the Copilot CLI or GitHub CLI app.
 * With a base URL the gateway's key goes in COPILOT_PROVIDER_API_KEY instead (gatewayKey).
 */
const KEY_VARIABLE = 'COPILOT_GITHUB_TOKEN';

/** Headers Copilot can put a custom provider's key in: its OpenAI provider's, its Azure provider's. */
const KEY_HEADERS = ['authorization', 'api-key'];

export const copilot: AgentDriver = {
  backend: 'copilot',
  cli: 'copilot',
  key: { from: [KEY_VARIABLE], to: KEY_VARIABLE },
  // A custom provider's key: Copilot reads it from COPILOT_PROVIDER_API_KEY; an OpenAI-compatible
  // gateway's key is often the worker's OPENAI_API_KEY already.
  gatewayKey: { from: ['COPILOT_PROVIDER_API_KEY', 'OPENAI_API_KEY'], to: 'COPILOT_PROVIDER_API_KEY' },
  defaultBaseUrl: COPILOT_API,
  unsupportedEndpoint,
  invocation: ({ phase, args, model, endpoint }) => ({
    argv: [
      'copilot',
      // Prompt mode: one prompt, no REPL, exit when the task is done. The prompt is Spec Kit's own
      // (build_command_invocation): `specify init --integration copilot` installs the phases as
      // skills in .github/skills/speckit-<phase>/, which the CLI lists to the model in prompt mode
      // too; the folder is not trusted, so the repository's .mcp.json servers and hooks stay off.
      '-p',
      phasePrompt(`/speckit-${phase}`, args),
      // As Spec Kit's build_exec_args: every tool, path and URL allowed without asking (tools
      // must be, in prompt mode). The job container is the sandbox.
      '--yolo',
      // Nobody is there to answer: no ask_user tool (prompt mode offers none today; said anyway).
      '--no-ask-user',
      // Standard output is the agent's messages only, no stats footer (analyze's report is read
      // from there); colour codes stay out of the phase's log.
      '--silent',
      '--no-color',
      // No update check (api.github.com/repos/github/copilot-cli/releases) and no newer cached
      // version: the image pins the version. COPILOT_AUTO_UPDATE below says the same.
      '--no-auto-update',
      // No client telemetry nor CAFE metrics uploads.
      '--disable-client-telemetry',
      // No GitHub MCP server (api.githubcopilot.com/mcp): a phase needs no GitHub API tools, and
      // the token should buy model calls only.
      '--disable-builtin-mcps',
      // With a base URL the model is required: the CLI stops with "BYOK providers require an
      // explicit model" without one.
      ...(model ? ['--model', model] : []),
    ],
    env: {
      COPILOT_AUTO_UPDATE: 'false',
      ...(endpoint.baseUrl ? providerEnv(endpoint, endpoint.baseUrl) : {}),
    },
    // None: the token or key is read from the environment, and prompt mode shows no banner and
    // asks for no folder trust.
    files: [],
  }),
};

/** A custom provider (`copilot help providers`) at the configured base URL. */
function providerEnv(endpoint: AgentEndpoint, baseUrl: string): Record<string, string> {
  const apiVersion = endpoint.queryParams?.['api-version'];
  const azure = endpoint.keyHeader?.toLowerCase() === 'api-key' || apiVersion !== undefined;
  return {
    COPILOT_PROVIDER_BASE_URL: baseUrl,
    // openai: <base URL>/responses with `Authorization: Bearer <key>`. azure: <base URL>/openai/v1/
    // responses (or /openai/responses?api-version=... when one is given) with `api-key: <key>`.
    COPILOT_PROVIDER_TYPE: azure ? 'azure' : 'openai',
    ...(apiVersion ? { COPILOT_PROVIDER_AZURE_API_VERSION: apiVersion } : {}),
    // The Responses API, as the Codex CLI speaks it to the same SPECKIT_AGENT_BASE_URL (Copilot's
    // default is Chat Completions; its docs advise Responses for GPT-5 models).
    COPILOT_PROVIDER_WIRE_API: 'responses',
    // Only the provider is contacted: no GitHub sign-in, telemetry, GitHub MCP server, web tools
    // or update checks. Without it the CLI would still try api.github.com with the key.
    COPILOT_OFFLINE: 'true',
  };
}

function unsupportedEndpoint(endpoint: AgentEndpoint, model?: string): string | undefined {
  if (endpoint.baseUrl && !model) {
    return (
      'copilot needs a model with a custom provider ("BYOK providers require an explicit model"): ' +
      "set SPECKIT_AGENT_MODEL on the worker or the run's agent.model (--model)"
    );
  }
  const params = Object.keys(endpoint.queryParams ?? {});
  const keyHeader = endpoint.keyHeader?.toLowerCase();
  if (!endpoint.baseUrl && (params.length > 0 || endpoint.keyHeader)) {
    return (
      "copilot talks to GitHub's Copilot service with the GitHub token as a bearer token, and nothing " +
      'else: query parameters and another key header apply only to a custom provider, so set ' +
      'SPECKIT_AGENT_BASE_URL to it as well (or unset them)'
    );
  }
  if (endpoint.baseUrl?.includes('?')) {
    return (
      `copilot appends its API path to COPILOT_PROVIDER_BASE_URL, after any query string: give ` +
      `${endpoint.baseUrl.split('?')[0]} as the base URL and the query as query parameters`
    );
  }
  const other = params.filter((p) => p !== 'api-version');
  if (other.length > 0) {
    return (
      `copilot cannot add query parameters to its requests (${other.join(', ')}): the only one it ` +
      'sends is api-version, through its Azure provider (COPILOT_PROVIDER_AZURE_API_VERSION)'
    );
  }
  if (keyHeader && !KEY_HEADERS.includes(keyHeader)) {
    return (
      `copilot sends a custom provider's key only as "Authorization: Bearer" (OpenAI-compatible) or ` +
      `api-key (its Azure provider), not in ${endpoint.keyHeader} (COPILOT_PROVIDER_HEADERS would need ` +
      'the key value in a plain variable)'
    );
  }
  if (keyHeader === 'authorization' && params.includes('api-version')) {
    return (
      'copilot sends api-version only through its Azure provider, which sends the key as api-key, ' +
      'not Authorization: drop the key header setting or the api-version parameter'
    );
  }
  return undefined;
}
