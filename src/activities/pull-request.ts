import type { Config } from '../config.js';
import { ForgeError } from '../forge/errors.js';
import { createGitHubForge, type GitHubForge } from '../forge/github.js';
import { renderPullRequestText } from '../forge/pull-request-text.js';
import { gitHubApiUrl, parseRepoSlug } from '../forge/repo-slug.js';
import type { Logger } from '../logging.js';
import type { AgentConfig, RunInput } from '../run/input.js';
import type { RunSummary } from '../run/summary.js';
import { failure } from './failures.js';

export interface PullRequestRequest {
  summary: RunSummary;
  input: Pick<RunInput, 'repo' | 'baseBranch' | 'specifyText' | 'publish' | 'constitution'>;
  agent: AgentConfig;
  clarifications: string[];
}

export interface PullRequestDeps {
  config: Pick<Config, 'pullRequests'>;
  logger: Logger;
  /** The worker's GitHub token; without one, publish mode pr fails. */
  gitToken?: string;
}

export function createPullRequests(deps: PullRequestDeps) {
  // One forge per API and token for the worker's lifetime: Octokit spaces writes per instance.
  const forges = new Map<string, GitHubForge>();
  const forgeFor = (baseUrl: string, token: string) => {
    const key = `${baseUrl}\n${token}`;
    let forge = forges.get(key);
    if (!forge) {
      forge = createGitHubForge({ baseUrl, token, logger: deps.logger });
      forges.set(key, forge);
    }
    return forge;
  };

  return {
    /** Opens the run's draft pull request, or updates the open one for the same branch. */
    async openPullRequest(r: PullRequestRequest): Promise<{ url: string; number: number; created: boolean }> {
      const token = deps.gitToken;
      if (!token) {
        throw failure(
          'PullRequestRejected',
          'publish mode pr needs a GitHub token: set GITHUB_TOKEN on the worker',
        );
      }
      const slug = parseRepoSlug(r.input.repo);
      const { apiUrl, draft, labels, titleTemplate } = deps.config.pullRequests;
      const text = renderPullRequestText(
        {
          ...r.summary,
          featureDescription: r.input.specifyText,
          agent: r.agent,
          clarifications: r.clarifications,
          constitutionPolicy: r.input.constitution,
        },
        r.input.publish.title ?? titleTemplate,
      );
      try {
        return await forgeFor(apiUrl ?? gitHubApiUrl(slug.host), token).upsertPullRequest({
          owner: slug.owner,
          repo: slug.repo,
          head: r.summary.branch as string,
          base: r.input.baseBranch,
          ...text,
          draft: r.input.publish.draft ?? draft,
          labels: r.input.publish.labels ?? labels,
        });
      } catch (err) {
        if (!(err instanceof ForgeError)) throw err;
        throw failure(err.retryable ? 'ForgeUnavailable' : 'PullRequestRejected', err.message);
      }
    },
  };
}
