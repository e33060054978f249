import { randomUUID } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from '../logging.js';
import { ForgeError } from './errors.js';

export interface GitHubForgeOptions {
  /** REST API root: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  baseUrl?: string;
  token: string;
  logger?: Logger;
  retry?: RetryOptions;
}

export interface RetryOptions {
  /** Attempts after the first, for server errors and for rate limits alike. Default 3. */
  retries?: number;
  /** Backoff unit: server errors wait attempt² units, rate limits `retry-after` units. Default 1000. */
  delayUnitMs?: number;
}

export interface PullRequestSpec {
  owner: string;
  repo: string;
  /** Branch in `owner/repo` holding the changes; it must have been pushed. */
  head: string;
  base: string;
  title: string;
  body: string;
  /** Applies when the pull request is created; an existing one keeps its draft state. Default true. */
  draft?: boolean;
  /** Added to the pull request's labels (existing labels stay). */
  labels?: string[];
}

export interface PullRequestRef {
  url: string;
  number: number;
  created: boolean;
}

export interface GitHubForge {
  upsertPullRequest(spec: PullRequestSpec): Promise<PullRequestRef>;
}

// Waiting longer than this inside an activity helps nobody: the error is retryable, so the
// workflow's retry policy tries again later instead.
const MAX_RATE_LIMIT_WAIT_SECONDS = 60;

const RetryingOctokit = Octokit.plugin(retry, throttling);

/**
 * GitHub through Octokit: plugin-retry retries server errors with backoff, plugin-throttling waits
 * out rate limits (primary and secondary) and spaces writes as GitHub asks. Create one per worker:
 * the write spacing applies per instance.
 */
export function createGitHubForge(options: GitHubForgeOptions): GitHubForge {
  const { retries = 3, delayUnitMs = 1000 } = options.retry ?? {};
  const logger = options.logger;
  const onRateLimit = (
    retryAfter: number,
    request: { method: string; url: string },
    _: unknown,
    count: number,
  ) => {
    const again = count < retries && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
    logger?.warn({ method: request.method, url: request.url, retryAfter, again }, 'GitHub rate limit hit');
    return again;
  };
  const octokit = new RetryingOctokit({
    baseUrl: options.baseUrl ?? 'https://api.github.com',
    auth: options.token,
    userAgent: 'speckit-automation',
    // Octokit's request log hands the request options, Authorization header included, to debug()
    // as a second argument: only the message string goes on, so the token never reaches a log.
    log: {
      debug: (message: string) => logger?.debug(message),
      info: (message: string) => logger?.debug(message),
      warn: (message: string) => logger?.warn(message),
      error: (message: string) => logger?.warn(message),
    },
    // Rate limits are the throttling plugin's to wait out; plugin-retry takes everything else.
    retry: {
      retries,
      retryAfterBaseValue: delayUnitMs,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: {
      id: randomUUID(),
      retryAfterBaseValue: delayUnitMs,
      onRateLimit,
      onSecondaryRateLimit: onRateLimit,
    },
  });

  return {
    async upsertPullRequest(spec) {
      const { owner, repo, head, base, title, body, draft = true, labels = [] } = spec;
      try {
        // Idempotent: a retried activity, or a second run on the same branch, updates the open pull
        // request of the branch instead of opening a duplicate.
        const { data: open } = await octokit.rest.pulls.list({
          owner,
          repo,
          head: `${owner}:${head}`,
          state: 'open',
        });
        const existing = open[0];
        const { data: pull } = existing
          ? await octokit.rest.pulls.update({ owner, repo, pull_number: existing.number, title, body })
          : await octokit.rest.pulls.create({ owner, repo, head, base, title, body, draft });
        if (labels.length > 0) {
          await octokit.rest.issues.addLabels({ owner, repo, issue_number: pull.number, labels });
        }
        return { url: pull.html_url, number: pull.number, created: !existing };
      } catch (err) {
        throw toForgeError(err, `${owner}/${repo}`, head, base);
      }
    },
  };
}

interface HttpError {
  status: number;
  response?: { headers: Record<string, string | undefined>; data?: unknown };
}

function toForgeError(err: unknown, repo: string, head: string, base: string): unknown {
  if (!isHttpError(err)) return err;
  const { status } = err;
  const github = gitHubMessage(err);
  const fail = (message: string, retryable = false) =>
    new ForgeError(message, status, retryable, { cause: err });
  if (isRateLimit(err)) {
    const reset = err.response?.headers['x-ratelimit-reset'];
    const when = reset ? ` (resets at ${new Date(Number(reset) * 1000).toISOString()})` : '';
    return fail(`GitHub rate limit exceeded for ${repo}${when}: retry later (${status}: ${github})`, true);
  }
  switch (status) {
    case 401:
      return fail(`GitHub rejected the token (401: ${github}): set a valid GITHUB_TOKEN on the worker`);
    case 403:
      return fail(
        `the token may not open pull requests on ${repo} (403: ${github}): give it "pull requests: write" and "contents: write" on ${repo}`,
      );
    case 404:
      return fail(
        `repository ${repo} not found, or the token cannot see it (404): check the repository URL and give the token access to ${repo}`,
      );
    case 422:
      return fail(
        `GitHub refused the pull request ${head} → ${base} on ${repo} (422: ${github}): push the branch first, and check that it has commits ${base} lacks`,
      );
  }
  if (status >= 500 || status === 0)
    return fail(`GitHub failed on ${repo} (${status}: ${github}): retry later`, true);
  return fail(`GitHub rejected a request on ${repo} (${status}: ${github})`);
}

function isHttpError(err: unknown): err is HttpError & Error {
  return err instanceof Error && typeof (err as Partial<HttpError>).status === 'number';
}

// Primary limits say so in x-ratelimit-remaining; secondary limits in the message (as GitHub and
// plugin-throttling have it); a 429 is a limit either way.
function isRateLimit(err: HttpError & Error): boolean {
  if (err.status === 429) return true;
  return (
    err.status === 403 &&
    (err.response?.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(err.message))
  );
}

/** GitHub's own explanation: its message and, for validation failures, each error's message. */
function gitHubMessage(err: HttpError & Error): string {
  const data = err.response?.data as
    | { message?: string; errors?: { message?: string; resource?: string; field?: string; code?: string }[] }
    | undefined;
  if (!data?.message) return err.message;
  const details = (data.errors ?? []).map((e) => e.message ?? `${e.resource} ${e.field} ${e.code}`);
  return [data.message, ...details].join(': ');
}
