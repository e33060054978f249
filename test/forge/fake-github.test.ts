import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github.js';

const TOKEN = 'ghp_fakeGitHubTestToken';

let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub({ token: TOKEN });
});
afterEach(() => github.close());

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  token = TOKEN,
) {
  const res = await fetch(`${github.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe('fake GitHub', () => {
  it("serves pull requests and labels with responses that match GitHub's schemas", async () => {
    const created = await call('POST', '/repos/acme/app/pulls', {
      head: 'feature',
      base: 'main',
      title: 'T',
      body: 'B',
      draft: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      number: 1,
      state: 'open',
      draft: true,
      title: 'T',
      body: 'B',
      url: 'https://api.github.com/repos/acme/app/pulls/1',
      html_url: 'https://github.com/acme/app/pull/1',
      head: { ref: 'feature', label: 'acme:feature', sha: expect.stringMatching(/^[0-9a-f]{40}$/) },
      base: { ref: 'main', repo: { full_name: 'acme/app' } },
      user: { login: expect.any(String) },
      labels: [],
    });
    expect(
      (await call<unknown[]>('GET', '/repos/acme/app/pulls?head=acme:feature&state=open')).body,
    ).toHaveLength(1);
    expect((await call<unknown[]>('GET', '/repos/acme/app/pulls?head=acme:other')).body).toHaveLength(0);
    expect((await call('PATCH', '/repos/acme/app/pulls/1', { title: 'T2' })).body).toMatchObject({
      title: 'T2',
    });
    const labels = await call<{ name: string }[]>('POST', '/repos/acme/app/issues/1/labels', {
      labels: ['a', 'b'],
    });
    expect(labels.body.map((l) => l.name)).toEqual(['a', 'b']);

    expect(github.violations).toEqual([]);
    expect(github.pulls('acme', 'app')).toEqual([
      {
        number: 1,
        title: 'T2',
        body: 'B',
        state: 'open',
        draft: true,
        head: 'feature',
        base: 'main',
        labels: ['a', 'b'],
      },
    ]);
  });

  it('refuses a second open pull request for the same head, as GitHub does', async () => {
    await call('POST', '/repos/acme/app/pulls', { head: 'feature', base: 'main', title: 'T' });
    const again = await call('POST', '/repos/acme/app/pulls', { head: 'feature', base: 'main', title: 'T' });
    expect(again.status).toBe(422);
    expect(github.violations).toEqual([]);
  });

  it("records requests that do not match GitHub's OpenAPI description and answers 400", async () => {
    const noHead = await call('POST', '/repos/acme/app/pulls', { base: 'main', draft: 'yes' });
    const badNumber = await call('PATCH', '/repos/acme/app/pulls/one', { title: 'T' });
    const unknownQuery = await call('GET', '/repos/acme/app/pulls?status=open');
    const emptyLabels = await call('POST', '/repos/acme/app/issues/1/labels', { labels: [] });

    expect([noHead, badNumber, unknownQuery, emptyLabels].map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(github.violations.map((v) => [v.method, v.where, v.problems.join('; ')])).toEqual([
      [
        'POST',
        'request',
        expect.stringMatching(/body must have required property 'head'.*body\/draft must be boolean/),
      ],
      ['PATCH', 'request', expect.stringMatching(/\/path\/pull_number must be integer/)],
      ['GET', 'request', expect.stringMatching(/\/query must NOT have additional properties/)],
      ['POST', 'request', expect.stringMatching(/body\/labels must NOT have fewer than 1 items/)],
    ]);
    expect(github.pulls('acme', 'app')).toEqual([]);
  });

  it('records an injected fault whose body does not match the documented error schema', async () => {
    github.failNext('POST', /\/pulls$/, {
      status: 422,
      body: { message: 42, documentation_url: 'https://docs.github.com/rest' },
    });
    await call('POST', '/repos/acme/app/pulls', { head: 'feature', base: 'main', title: 'T' });
    expect(github.violations).toEqual([
      expect.objectContaining({ where: 'response', problems: ['422 body/message must be string'] }),
    ]);
  });

  it('answers 401 to a wrong token and records only that it did not match', async () => {
    const res = await call('GET', '/repos/acme/app/pulls', undefined, 'ghp_wrong');
    expect(res).toEqual({ status: 401, body: expect.objectContaining({ message: 'Bad credentials' }) });
    expect(github.requests).toEqual([expect.objectContaining({ authorized: false, status: 401 })]);
    expect(JSON.stringify(github.requests)).not.toContain('ghp_');
  });

  it('injects faults with headers for as many requests as asked', async () => {
    github.failNext('GET', /\/pulls$/, { status: 500, times: 2, headers: { 'retry-after': '1' } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/repos/acme/app/pulls')).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(github.violations).toEqual([]);
  });
});
