import { type AgentDriver, type AgentEndpoint, phasePrompt } from './agent-driver.js';

/** Where Claude Code sends its requests when ANTHROPIC_BASE_URL is not set. */
const ANTHROPIC_API = 'https://api.anthropic.com';

/**
 * Claude Code (`@anthropic-ai/claude-code`), run in print mode the way Spec Kit's own
 * `build_exec_args` runs it: `claude -p "/speckit-<phase> <args>"`. `specify init --integration
 * claude` installs the phases as skills under .claude/skills/, which Claude Code expands when the
 * prompt names one.
 */
export const claude: AgentDriver = {
  backend: 'claude',
  cli: 'claude',
  // Claude Code sends ANTHROPIC_API_KEY as the x-api-key header; in print mode it is always used
  // when present, with no login and no approval prompt.
  key: { from: ['ANTHROPIC_API_KEY'], to: 'ANTHROPIC_API_KEY' },
  defaultBaseUrl: ANTHROPIC_API,
  unsupportedEndpoint,
  invocation({ phase, args, model, endpoint }) {
    const prompt = phasePrompt(`/speckit-${phase}`, args);
    return {
      argv: [
        'claude',
        // Print mode: one prompt, no REPL, exit when the turn ends. It also skips the workspace
        // trust dialog, which would otherwise wait on a terminal the container does not have.
        '-p',
        prompt,
        // Print mode denies every tool call that would ask for permission (nobody is there to
        // answer), so without this the phase could neither run Spec Kit's scripts nor write its
        // documents. Claude Code recommends it for sandboxes; the job container is the sandbox.
        '--dangerously-skip-permissions',
        // Standard output is the final answer only (analyze's report is read from there), or the
        // error that ended the run (a 401 is reported there too, not on stderr).
        '--output-format',
        'text',
        // Nothing ever resumes a phase's session: keep transcripts out of the run's HOME.
        '--no-session-persistence',
        // Only the MCP servers given on the command line, which is none: the repository being
        // specified is input, and its .mcp.json must not start servers in the phase.
        '--strict-mcp-config',
        // The repository's own .claude/settings.json is loaded too (it cannot be skipped without
        // losing the Spec Kit skills beside it), and its `env` overrides the container's: a repo
        // whose team uses its own gateway would get the worker's key sent there. Settings given on
        // the command line take precedence over the project's, so the endpoint is pinned here.
        '--settings',
        JSON.stringify({ env: { ANTHROPIC_BASE_URL: endpoint.baseUrl ?? ANTHROPIC_API } }),
        ...(model ? ['--model', model] : []),
      ],
      env: {
        // Claude Code's documented switches: no usage telemetry, no error reports, no self-update,
        // and none of its other nonessential traffic (feature flags, release notes, a connectivity
        // probe of the base URL, ...). The last implies the first three, which are set anyway so
        // that each stays off should one of them change meaning.
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
        DISABLE_AUTOUPDATER: '1',
        ...(endpoint.baseUrl ? { ANTHROPIC_BASE_URL: endpoint.baseUrl } : {}),
      },
      // None: with ANTHROPIC_API_KEY set, print mode needs no login, onboarding or settings file.
      files: [],
    };
  },
};

function unsupportedEndpoint(endpoint: AgentEndpoint): string | undefined {
  if (endpoint.queryParams && Object.keys(endpoint.queryParams).length > 0) {
    return (
      'Claude Code cannot add query parameters to its API requests ' +
      `(${Object.keys(endpoint.queryParams).join(', ')}): it appends /v1/messages to ` +
      'ANTHROPIC_BASE_URL and has no setting for a query string'
    );
  }
  if (endpoint.keyHeader && endpoint.keyHeader.toLowerCase() !== 'x-api-key') {
    return (
      `Claude Code cannot send the key in the ${endpoint.keyHeader} header: it sends ` +
      'ANTHROPIC_API_KEY as x-api-key only (ANTHROPIC_CUSTOM_HEADERS takes fixed values, never a key)'
    );
  }
  if (endpoint.baseUrl && /\/v1\/?$/.test(endpoint.baseUrl)) {
    return (
      `Claude Code appends /v1/messages to ANTHROPIC_BASE_URL: give the base URL without /v1 ` +
      `(${endpoint.baseUrl.replace(/\/v1\/?$/, '')})`
    );
  }
  return undefined;
}
