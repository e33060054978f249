// Gemini CLI (@google/gemini-cli 0.61) run headless in a job container. The container is the
// sandbox and the run's HOME is fresh each phase, so everything gemini needs to run unattended comes
// from its flags, its user settings file and a few environment variables; nothing is asked of a
// person and nothing leaves the container but the model calls. Names and defaults below are
// 0.61.0's (docs/reference/configuration.md and docs/cli/cli-reference.md in the npm package).
import { type AgentDriver, type AgentEndpoint, phasePrompt } from './agent-driver.js';

/** The Gemini API; the SDK appends `/v1beta/models/{model}:streamGenerateContent` to it. */
const GOOGLE_BASE_URL = 'https://generativelanguage.googleapis.com';

/** Headers gemini-cli can put the key in: its default, and `Authorization: Bearer` (see below). */
const KEY_HEADERS = ['x-goog-api-key', 'authorization'];

/**
 * ~/.gemini/settings.json (user scope). It names the auth type, never the key: gemini-cli reads
 * the key from GEMINI_API_KEY.
 */
const SETTINGS = {
  security: {
    // API-key auth against the Gemini API. Headless gemini otherwise picks an auth type from the
    // environment, and with GOOGLE_GEMINI_BASE_URL set that is its "gateway" type, which also
    // runs without any key.
    auth: { selectedType: 'gemini-api-key' },
    // Shell commands the model runs get the environment without variables named like secrets, so
    // `env` or `echo $GEMINI_API_KEY` in a tool call cannot put the key into the transcript.
    environmentVariableRedaction: { enabled: true },
  },
  // Usage statistics go to Google's Clearcut endpoint (play.googleapis.com/log); the setting also
  // stops the per-installation id header on model calls.
  privacy: { usageStatisticsEnabled: false },
  // OpenTelemetry export (off by default in 0.61; said anyway, and GEMINI_TELEMETRY_ENABLED below
  // outranks a repository's own settings).
  telemetry: { enabled: false, logPrompts: false },
  general: {
    // No npm update check, no self-update: the job image pins the version.
    enableAutoUpdate: false,
    enableAutoUpdateNotification: false,
  },
  advanced: {
    // A `.env` in the cloned repository is the repository's business, not gemini's configuration.
    ignoreLocalEnv: true,
  },
  // No IDE companion to look for in a container.
  ide: { enabled: false },
};

export const gemini: AgentDriver = {
  backend: 'gemini',
  cli: 'gemini',
  key: { from: ['GEMINI_API_KEY'], to: 'GEMINI_API_KEY' },
  defaultBaseUrl: GOOGLE_BASE_URL,

  unsupportedEndpoint(endpoint: AgentEndpoint): string | undefined {
    if (endpoint.queryParams && Object.keys(endpoint.queryParams).length > 0) {
      return (
        'gemini cannot add query parameters to its requests: its SDK has no setting for them, and a query ' +
        'string in GOOGLE_GEMINI_BASE_URL ends up before the path the SDK appends'
      );
    }
    if (endpoint.keyHeader && !KEY_HEADERS.includes(endpoint.keyHeader.toLowerCase())) {
      return (
        `gemini sends its key only in x-goog-api-key or as "Authorization: Bearer", not in ${endpoint.keyHeader} ` +
        '(custom headers would have to carry the key value in GEMINI_CLI_CUSTOM_HEADERS)'
      );
    }
    return undefined;
  },

  invocation({ phase, args, model, endpoint }) {
    const prompt = phasePrompt(`/speckit.${phase}`, args);
    return {
      argv: [
        'gemini',
        // Every tool call runs without asking: there is nobody to ask. (--yolo is deprecated.)
        '--approval-mode',
        'yolo',
        // The job container is the sandbox; gemini's own would start docker/podman inside it.
        '--sandbox=false',
        // Folder trust is on by default in 0.61: an untrusted folder is a fatal error headless, and
        // would also ignore Spec Kit's .gemini/commands and turn yolo back into "ask".
        '--skip-trust',
        // Plain text: the final answer on stdout (analyze's report is read from there), errors on
        // stderr (where failures are classified).
        '--output-format',
        'text',
        ...(model ? ['--model', model] : []),
        // -p makes it headless; the slash command is Spec Kit's TOML command in .gemini/commands.
        '-p',
        prompt,
      ],
      env: {
        // Always set, to Google's URL when no other is configured: an environment variable outranks
        // the .env files gemini would otherwise read it from (a repository's .gemini/.env included).
        GOOGLE_GEMINI_BASE_URL: endpoint.baseUrl ?? GOOGLE_BASE_URL,
        // Outranks --sandbox and every settings file, so a repository cannot turn the sandbox on.
        GEMINI_SANDBOX: 'false',
        // Outranks the telemetry settings of every scope, the repository's .gemini/settings.json too.
        GEMINI_TELEMETRY_ENABLED: 'false',
        // Logs without ANSI colour codes.
        NO_COLOR: '1',
        // 0.61's content generator sends the key as a bearer token too when asked (undocumented;
        // x-goog-api-key is still sent).
        ...(endpoint.keyHeader?.toLowerCase() === 'authorization'
          ? { GEMINI_API_KEY_AUTH_MECHANISM: 'bearer' }
          : {}),
      },
      files: [{ path: '.gemini/settings.json', content: `${JSON.stringify(SETTINGS, null, 2)}\n` }],
    };
  },
};
