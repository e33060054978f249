// Secrets come from the worker's environment at the moment a step starts, and reach a job
// container only as environment variables, only for the steps that need them: clone and push get
// the git token, agent phases get their agent's key (agents/agent-environment.ts). Nothing here is
// ever written to disk.

const GIT_TOKEN_VARIABLES = ['GIT_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN'];

// Answers git's credential requests from $GIT_TOKEN, so the token is never in the remote URL,
// .git/config or the workspace; it is passed as command-line-level config through the environment.
const CREDENTIAL_HELPER =
  '!f() { test "$1" = get && echo username=x-access-token && echo "password=$GIT_TOKEN"; }; f';

/** The token for git remotes and the GitHub API, from the first of these variables that is set. */
export function gitToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = GIT_TOKEN_VARIABLES.find((n) => env[n]);
  return name ? env[name] : undefined;
}

/** Environment for clone and push containers: the token and the helper that hands it to git. */
export function gitCredentialEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const token = gitToken(env);
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
