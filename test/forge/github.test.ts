import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ForgeError } from '../../src/forge/errors.js';
import { createGitHubForge, type PullRequestSpec } from '../../src/forge/github.js';
import { createLogger } from '../../src/logging.js';
import { type FakeGitHub, type Fault, startFakeGitHub } from '../support/fake-github.js';

const TOKEN = 'ghp_fakeTokenThatMustNeverLeak0123456789';
const spec: PullRequestSpec = {
  owner: 'acme',
  repo: 'app',
  head: 'speckit/001-share-lists',
  base: 'main',
  title: 'Spec Kit: Let users share a list',
  body: 'The body',
};

let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub({ token: TOKEN });
});
afterEach(async () => {
  expect(github.violations).toEqual([]);
  await github.close();
});

const forge = (token = TOKEN) => createGitHubForge({ baseUrl: github.url, token, retry: { delayUnitMs: 1 } });
const sent = () => github.requests.map((r) => `${r.method} ${r.path}`);

async function forgeError(promise: Promise<unknown>): Promise<ForgeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ForgeError);
  expect(inspect(err, { depth: 10 })).not.toContain(TOKEN);
  return err as ForgeError;
}

describe('GitHub forge: upsertPullRequest', () => {
  it('creates a draft pull request and labels it, with requests GitHub accepts', async () => {
    const pr = await forge().upsertPullRequest({ ...spec, labels: ['spec-kit', 'automated'] });

    expect(pr).toEqual({ url: 'https://github.com/acme/app/pull/1', number: 1, created: true });
    expect(sent()).toEqual([
      'GET /repos/acme/app/pulls',
      'POST /repos/acme/app/pulls',
      'POST /repos/acme/app/issues/1/labels',
    ]);
    expect(github.requests[0]?.query).toEqual({ head: 'acme:speckit/001-share-lists', state: 'open' });
    expect(github.requests[1]?.body).toEqual({
      head: spec.head,
      base: 'main',
      title: spec.title,
      body: 'The body',
      draft: true,
    });
    expect(github.requests.every((r) => r.authorized)).toBe(true);
    expect(github.pulls('acme', 'app')).toEqual([
      expect.objectContaining({ number: 1, draft: true, state: 'open', labels: ['spec-kit', 'automated'] }),
    ]);
  });

  it('updates the open pull request of the branch instead of opening a second one', async () => {
    await forge().upsertPullRequest(spec);
    const second = await forge().upsertPullRequest({ ...spec, title: 'New title', body: 'New body' });

    expect(second).toEqual({ url: 'https://github.com/acme/app/pull/1', number: 1, created: false });
    expect(sent().slice(2)).toEqual(['GET /repos/acme/app/pulls', 'PATCH /repos/acme/app/pulls/1']);
    expect(github.requests.at(-1)?.body).toEqual({ title: 'New title', body: 'New body' });
    expect(github.pulls('acme', 'app')).toEqual([
      expect.objectContaining({ number: 1, title: 'New title', body: 'New body' }),
    ]);
  });

  it('opens a ready-for-review pull request when draft is false', async () => {
    await forge().upsertPullRequest({ ...spec, draft: false });
    expect(github.pulls('acme', 'app')[0]?.draft).toBe(false);
  });

  it.each<[string, Fault]>([
    ['retries a server error', { status: 500 }],
    [
      'waits out a secondary rate limit (429 with retry-after)',
      {
        status: 429,
        headers: { 'retry-after': '1' },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        },
      },
    ],
    [
      'waits out a primary rate limit (403 with x-ratelimit-remaining: 0)',
      {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': `${Math.floor(Date.now() / 1000)}` },
        body: { message: 'API rate limit exceeded for user ID 1.' },
      },
    ],
  ])('%s', async (_, fault) => {
    github.failNext('GET', /\/pulls$/, fault);
    await expect(forge().upsertPullRequest(spec)).resolves.toMatchObject({ created: true });
    expect(sent()).toEqual([
      'GET /repos/acme/app/pulls',
      'GET /repos/acme/app/pulls',
      'POST /repos/acme/app/pulls',
    ]);
  });

  it('gives up on a server error after the configured retries, as a retryable error', async () => {
    github.failNext('GET', /\/pulls$/, { status: 502, times: 10 });
    const forgeWithTwoRetries = createGitHubForge({
      baseUrl: github.url,
      token: TOKEN,
      retry: { retries: 2, delayUnitMs: 1 },
    });
    const err = await forgeError(forgeWithTwoRetries.upsertPullRequest(spec));
    expect(err).toMatchObject({ status: 502, retryable: true });
    expect(github.requests).toHaveLength(3);
  });

  it('reports an unreachable API as retryable', async () => {
    const closed = await startFakeGitHub({ token: TOKEN });
    await closed.close();
    const offline = createGitHubForge({ baseUrl: closed.url, token: TOKEN, retry: { delayUnitMs: 1 } });
    const err = await forgeError(offline.upsertPullRequest(spec));
    expect(err).toMatchObject({ status: 500, retryable: true });
    expect(err.message).toMatch(/GitHub failed on acme\/app \(500: connect ECONNREFUSED .*\): retry later/);
  });

  it('leaves a long rate-limit wait to the caller, as a retryable error', async () => {
    github.failNext('GET', /\/pulls$/, {
      status: 429,
      headers: { 'retry-after': '3600' },
      body: { message: 'You have exceeded a secondary rate limit.' },
    });
    const err = await forgeError(forge().upsertPullRequest(spec));
    expect(err).toMatchObject({ status: 429, retryable: true });
    expect(err.message).toMatch(/GitHub rate limit exceeded for acme\/app.*retry later/);
    expect(github.requests).toHaveLength(1);
  });

  it('logs requests and rate limits, never the token', async () => {
    let log = '';
    const destination = new Writable({
      write(chunk, _encoding, done) {
        log += chunk;
        done();
      },
    });
    github.failNext('GET', /\/pulls$/, {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { message: 'You have exceeded a secondary rate limit.' },
    });
    const logged = createGitHubForge({
      baseUrl: github.url,
      token: TOKEN,
      logger: createLogger('trace', destination),
      retry: { delayUnitMs: 1 },
    });
    await logged.upsertPullRequest(spec);
    expect(log).toMatch(/GitHub rate limit hit/);
    expect(log).toMatch(/POST \/repos\/acme\/app\/pulls - 201/);
    expect(log).not.toContain(TOKEN);
  });

  it('fails at once on a bad token, saying which variable to set', async () => {
    const err = await forgeError(forge('ghp_wrong').upsertPullRequest(spec));
    expect(err).toMatchObject({ status: 401, retryable: false });
    expect(err.message).toMatch(/GitHub rejected the token.*set a valid GITHUB_TOKEN on the worker/);
    expect(github.requests).toHaveLength(1);
    expect(github.requests[0]?.authorized).toBe(false);
  });

  it('fails at once when the token lacks permission, naming the permissions', async () => {
    github.failNext('POST', /\/pulls$/, {
      status: 403,
      body: { message: 'Resource not accessible by personal access token' },
    });
    const err = await forgeError(forge().upsertPullRequest(spec));
    expect(err).toMatchObject({ status: 403, retryable: false });
    expect(err.message).toMatch(
      /Resource not accessible.*"pull requests: write" and "contents: write" on acme\/app/,
    );
    expect(sent()).toEqual(['GET /repos/acme/app/pulls', 'POST /repos/acme/app/pulls']);
  });

  it('fails at once when the repository is missing or hidden from the token', async () => {
    github.failNext('GET', /\/pulls$/, { status: 404 });
    const err = await forgeError(forge().upsertPullRequest(spec));
    expect(err).toMatchObject({ status: 404, retryable: false });
    expect(err.message).toMatch(/repository acme\/app not found, or the token cannot see it/);
    expect(github.requests).toHaveLength(1);
  });

  it("fails at once on a validation error, with GitHub's reason and what to do", async () => {
    github.failNext('POST', /\/pulls$/, {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'No commits between main and speckit/001-share-lists',
          },
        ],
        documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
      },
    });
    const err = await forgeError(forge().upsertPullRequest(spec));
    expect(err).toMatchObject({ status: 422, retryable: false });
    expect(err.message).toMatch(
      /Validation Failed: No commits between main and speckit\/001-share-lists.*push the branch first/,
    );
    expect(sent()).toEqual(['GET /repos/acme/app/pulls', 'POST /repos/acme/app/pulls']);
  });
});
