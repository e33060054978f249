import { ForgeError } from './errors.js';

/** Where a repository lives on GitHub (github.com or a GitHub Enterprise Server host). */
export interface RepoSlug {
  host: string;
  owner: string;
  repo: string;
}

// `owner/repo` as GitHub allows them (owners: letters, digits, inner hyphens); `.git` and a trailing
// slash are dropped. More path segments (GitLab subgroups, `/tree/main`) are not a GitHub repository.
const OWNER_REPO = /^\/([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/;
// scp-like syntax: git@github.com:owner/repo.git
const SCP_LIKE = /^[\w.-]+@([\w.-]+):(.+)$/;

/**
 * Parses https://github.com/o/r(.git), git@github.com:o/r.git, ssh://git@github.com/o/r.git and the
 * same forms on an Enterprise host. Anything else (a local path, file://, another forge's nested
 * groups) cannot get a pull request.
 */
export function parseRepoSlug(url: string): RepoSlug {
  const [host, path] = hostAndPath(url) ?? [];
  const match = path === undefined ? null : OWNER_REPO.exec(path);
  if (!host || !match?.[1] || !match[2] || match[2] === '.' || match[2] === '..') {
    throw new ForgeError(
      `cannot open a pull request for ${url}: not a GitHub repository URL; use publish mode branch`,
      undefined,
      false,
    );
  }
  return { host, owner: match[1], repo: match[2] };
}

/** The REST API of a host: api.github.com for github.com, /api/v3 on an Enterprise Server. */
export function gitHubApiUrl(host: string): string {
  return host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
}

function hostAndPath(url: string): [string, string] | undefined {
  const scp = SCP_LIKE.exec(url);
  if (scp?.[1] && scp[2] !== undefined) return [scp[1], `/${scp[2]}`];
  if (!/^(https?|ssh):\/\//i.test(url) || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  // An ssh port is not the web host's port; an https port (Enterprise on :8443) is.
  return [parsed.protocol === 'ssh:' ? parsed.hostname : parsed.host, parsed.pathname];
}
