// Secrets are read from the worker's environment once, when it starts (readWorkerSecrets), and
// reach a job container only as environment variables, only for the steps that need them: clone
// and push get the git token, agent phases get their agent's key (agents/agent-environment.ts).
// Nothing here is ever written to disk.
import { AGENT_KEY_VARIABLES, type AgentKeys } from './agents/agent-environment.js';

const GIT_TOKEN_VARIABLES = ['GIT_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN'];

// Answers git's credential requests from $GIT_TOKEN, so the token is never in the remote URL,
// .git/config or the workspace; it is passed as command-line-level config through the environment.
const CREDENTIAL_HELPER =
  '!f() { test "$1" = get && echo username=x-access-token && echo "password=$GIT_TOKEN"; }; f';

/** What the worker hands on as secrets, read from its environment when it starts. */
export interface WorkerSecrets {
  /** For git remotes and the GitHub API: the first of GIT_TOKEN, GITHUB_TOKEN, GH_TOKEN that is set. */
  gitToken?: string;
  /** The agents' API keys the worker has, by the variable that holds them (OPENAI_API_KEY, ...). */
  agentKeys: AgentKeys;
}

export function readWorkerSecrets(env: NodeJS.ProcessEnv): WorkerSecrets {
  const gitVariable = GIT_TOKEN_VARIABLES.find((name) => env[name]);
  const agentKeys = AGENT_KEY_VARIABLES.filter((name) => env[name]).map((name) => [
    name,
    env[name] as string,
  ]);
  return { gitToken: gitVariable && env[gitVariable], agentKeys: Object.fromEntries(agentKeys) };
}

/** Every secret value the worker holds, for the redactor to mask whatever its variable is called. */
export function secretValues(secrets: WorkerSecrets): string[] {
  return [...(secrets.gitToken ? [secrets.gitToken] : []), ...Object.values(secrets.agentKeys)];
}

/** Environment for clone and push containers: the token and the helper that hands it to git. */
export function gitCredentialEnv(token: string | undefined): Record<string, string> {
  const base = { GIT_TERMINAL_PROMPT: '0' };
  if (!token) return base;
  return {
    ...base,
    GIT_TOKEN: token,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'credential.helper',
    GIT_CONFIG_VALUE_0: CREDENTIAL_HELPER,
  };
}
