// Publishing on the real stack: an authenticated smart-HTTP git remote (git's own http-backend)
// and a local GitHub API that checks every request against GitHub's OpenAPI description.
import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInputRaw } from '../../src/run/input.js';
import type { RunSummary } from '../../src/run/summary.js';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github.js';
import { createGitHttpServer, type GitHttpServer } from '../support/git-http-server.js';
import {
  DEFAULT_RUN_STEPS,
  exec,
  git,
  makeSampleRepo,
  runningStepContainer,
  startTestStack,
  type TestStack,
} from '../support/test-stack.js';

const TOKEN = 'ghp_publishTestToken0123456789abcdefghijkl';
let stack: TestStack;
let github: FakeGitHub;
let gitServer: GitHttpServer;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'speckit-http-'));
  gitServer = await createGitHttpServer({ root, token: TOKEN });
  github = await startFakeGitHub({ token: TOKEN });
  // Job containers share the host's network so they reach the git server on loopback.
  stack = await startTestStack({
    GITHUB_TOKEN: TOKEN,
    SPECKIT_JOB_NETWORK: 'host',
    GITHUB_API_URL: github.url,
  });
});
afterAll(async () => {
  await stack?.stop();
  await Promise.all([gitServer?.close(), github?.close()]);
});

/** A fresh bare repository served as http://127.0.0.1:<port>/<owner>/<name>.git. */
async function servedRepo(owner: string, name: string): Promise<{ url: string; bare: string }> {
  const bare = path.join(root, owner, `${name}.git`);
  await mkdir(path.dirname(bare), { recursive: true });
  await exec('mv', [await makeSampleRepo(), bare]);
  return { url: gitServer.url(`${owner}/${name}.git`), bare };
}

async function run(
  input: Omit<RunInputRaw, 'agent'> & { agent?: RunInputRaw['agent'] },
): Promise<RunSummary> {
  return stack.run({ agent: { backend: 'scripted' }, ...input });
}

async function activityAttempts(runId: string, activityType: string): Promise<number[]> {
  const history = await stack.client.temporal.workflow.getHandle(runId).fetchHistory();
  const scheduled = new Map<string, string>();
  const attempts: number[] = [];
  for (const e of history.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(e.eventId), s.activityType?.name ?? '');
    const started = e.activityTaskStartedEventAttributes;
    if (started && scheduled.get(String(started.scheduledEventId)) === activityType) {
      attempts.push(started.attempt ?? 0);
    }
  }
  return attempts;
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if ((await readFile(file)).includes(needle)) hits.push(file);
  }
  return hits;
}

describe('publish mode pr', () => {
  it('pushes with the token from the environment and opens one draft pull request, updated on the next run', async () => {
    const { url, bare } = await servedRepo('acme', 'todo');
    const first = await run({ repo: url, specifyText: 'Add tags to to-do items', publish: { mode: 'pr' } });

    expect(first.status).toBe('succeeded');
    expect(first.steps.map((p) => p.name)).toEqual([...DEFAULT_RUN_STEPS, 'pull-request']);
    expect((await git(bare, 'rev-parse', first.branch as string)).trim()).toBe(first.commit);
    const [pull] = github.pulls('acme', 'todo');
    expect(github.pulls('acme', 'todo')).toHaveLength(1);
    expect(pull).toMatchObject({
      state: 'open',
      draft: true,
      head: first.branch,
      base: 'main',
      title: 'Spec Kit: Add tags to to-do items',
      labels: ['spec-kit'],
    });
    expect(pull?.body).toContain(first.runId);
    expect(pull?.body).toMatch(/\| specify \| succeeded \| 0 \|/);
    // The sample repository has no constitution of its own: init installs Spec Kit's template.
    expect(first.constitution).toBe('template');
    expect(pull?.body).toContain('### Governance gap: no constitution');
    expect(pull?.body).toContain('/speckit.constitution');
    expect(first.pullRequestUrl).toMatch(/\/acme\/todo\/pull\/1$/);
    expect(github.violations).toEqual([]);
    expect(github.requests.every((r) => r.authorized)).toBe(true);

    // The token never lands in the workspace (remote URL, .git/config), the artifacts or the database.
    const runDir = path.join(stack.config.workspaceRoot, 'runs', first.runId);
    expect(await filesContaining(runDir, TOKEN)).toEqual([]);
    expect((await git(path.join(runDir, 'repo'), 'remote', 'get-url', 'origin')).trim()).toBe(url);
    const { rows } = await stack.db.query(
      'SELECT * FROM runs r JOIN step_states p USING (run_id) WHERE run_id = $1',
      [first.runId],
    );
    expect(JSON.stringify(rows)).not.toContain(TOKEN);

    // The same feature again, after the branch was removed from the remote: the open pull request
    // for that branch is updated, never duplicated.
    await git(bare, 'branch', '-D', first.branch as string);
    const second = await run({ repo: url, specifyText: 'Add tags to to-do items', publish: { mode: 'pr' } });
    expect(second.status).toBe('succeeded');
    expect(second.branch).toBe(first.branch);
    expect(github.pulls('acme', 'todo')).toHaveLength(1);
    expect(github.pulls('acme', 'todo')[0]?.body).toContain(second.runId);
    expect(github.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it('a wrong token fails the clone at once with git’s authentication error', async () => {
    await servedRepo('acme', 'wrong-token');
    // The same repositories, served to another token than the worker's.
    const otherServer = await createGitHttpServer({
      root,
      token: 'ghp_anotherTokenThanTheWorkersOwn0123456',
    });
    try {
      const url = otherServer.url('acme/wrong-token.git');
      const result = await run({ repo: url, specifyText: 'Anything', publish: { mode: 'pr' } });
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/Authentication failed/);
      expect(result.error).toMatch(/Check the repository URL, the base branch and the token/);
      expect(await activityAttempts(result.runId, 'cloneRepo')).toEqual([1]);
    } finally {
      await otherServer.close();
    }
  });

  it('the same feature again gets the next feature number on a branch of its own; the first is never touched', async () => {
    const { url, bare } = await servedRepo('acme', 'again');
    const first = await run({ repo: url, specifyText: 'Add reminders', publish: { mode: 'branch' } });
    expect(first.status).toBe('succeeded');
    const second = await run({ repo: url, specifyText: 'Add reminders', publish: { mode: 'branch' } });
    expect(second.status).toBe('succeeded');
    expect(first.branch).toMatch(/^speckit\/001-/);
    expect(second.branch).toBe(first.branch?.replace('/001-', '/002-'));
    expect((await git(bare, 'rev-parse', first.branch as string)).trim()).toBe(first.commit);
    expect((await git(bare, 'rev-parse', second.branch as string)).trim()).toBe(second.commit);
    const files = await git(bare, 'ls-tree', '-r', '--name-only', second.branch as string);
    expect(files).toMatch(/^specs\/002-[^/]+\/spec\.md$/m);
    expect(files).not.toMatch(/published-on-remote/);
  });

  it('a branch another run created meanwhile is never overwritten: the push takes the next name', async () => {
    const { url, bare } = await servedRepo('acme', 'taken');
    const dry = await run({ repo: url, specifyText: 'Add snoozing', publish: { mode: 'none' } });
    const { runId } = await stack.client.startRun({
      repo: url,
      specifyText: 'Add snoozing',
      agent: { backend: 'scripted', options: { delaySeconds: 2 } },
    });
    // Another run publishes the same name after this one cloned.
    await runningStepContainer(stack, runId, 'specify');
    await git(bare, 'branch', dry.branch as string, 'main');
    const result = await stack.client.result(runId);
    expect(result.status).toBe('succeeded');
    expect(result.branch).toBe(`${dry.branch}-2`);
    const main = (await git(bare, 'rev-parse', 'main')).trim();
    expect((await git(bare, 'rev-parse', dry.branch as string)).trim()).toBe(main);
    expect((await git(bare, 'rev-parse', result.branch as string)).trim()).toBe(result.commit);
  });

  it('GitHub’s validation errors fail the run without retrying, with GitHub’s message', async () => {
    const { url } = await servedRepo('acme', 'rejected');
    github.failNext('POST', /\/repos\/acme\/rejected\/pulls$/, {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'PullRequest', code: 'custom', message: 'No commits between main and x' }],
        documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
      },
    });
    const result = await run({ repo: url, specifyText: 'Add priorities', publish: { mode: 'pr' } });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/No commits between main and x/);
    expect(await activityAttempts(result.runId, 'openPullRequest')).toEqual([1]);
    expect(
      github.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/rejected/pulls'),
    ).toHaveLength(1);
  });

  it('a GitHub server error is retried and the pull request opens', async () => {
    const { url } = await servedRepo('acme', 'flaky');
    github.failNext('POST', /\/repos\/acme\/flaky\/pulls$/, {
      status: 502,
      body: { message: 'Bad Gateway' },
    });
    const result = await run({ repo: url, specifyText: 'Add due dates', publish: { mode: 'pr' } });
    expect(result.status).toBe('succeeded');
    expect(github.pulls('acme', 'flaky')).toHaveLength(1);
  });

  it('clarification: ignore goes on and lists the open questions in the pull request', async () => {
    const { url } = await servedRepo('acme', 'questions');
    const result = await run({
      repo: url,
      specifyText: 'Share lists with teams',
      agent: { backend: 'scripted', options: { clarifications: 2 } },
      clarification: 'ignore',
      publish: { mode: 'pr' },
    });
    expect(result.status).toBe('succeeded');
    expect(result.clarifications).toHaveLength(2);
    const body = github.pulls('acme', 'questions')[0]?.body ?? '';
    expect(body).toContain('Open questions');
    for (const question of result.clarifications ?? []) expect(body).toContain(question);
  });
});

describe('other publish modes and outcomes', () => {
  it('clarification: fail stops after specify with the questions in the error', async () => {
    const remote = await makeSampleRepo();
    const result = await run({
      repo: remote,
      specifyText: 'Share lists with teams',
      agent: { backend: 'scripted', options: { clarifications: 2 } },
      clarification: 'fail',
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/the spec needs clarification/);
    expect(result.error?.match(/^ {2}- /gm)).toHaveLength(2);
    expect(result.steps.find((p) => p.name === 'plan')?.status).toBe('skipped');
    expect((await git(remote, 'branch', '--list')).trim()).toBe('* main');
  });

  it('none is a dry run: phases run, nothing is pushed, the diff is kept', async () => {
    const remote = await makeSampleRepo();
    const result = await run({
      repo: remote,
      specifyText: 'Add a search command',
      publish: { mode: 'none' },
    });
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((p) => p.name)).not.toContain('push');
    expect((await git(remote, 'branch', '--list')).trim()).toBe('* main');
    const patch = await readFile(path.join(result.artifactsDir as string, 'diff.patch'), 'utf8');
    expect(patch).toMatch(/\+\+\+ b\/specs\/001-[a-z-]+\/spec\.md/);
    expect(await readFile(path.join(result.artifactsDir as string, 'diff.stat'), 'utf8')).toMatch(
      /files? changed/,
    );
  });

  it('a phase that exits 0 without its document fails after one retry in a fresh container: nothing pushed', async () => {
    const remote = await makeSampleRepo();
    const before = await git(remote, 'for-each-ref');
    const result = await run({
      repo: remote,
      specifyText: 'Add colours',
      agent: { backend: 'scripted', options: { noop: true } },
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/phase specify exited 0 without leaving (a feature directory|.*spec\.md)/);
    expect(result.error).toContain('attempt 2');
    const specify = result.steps.find((p) => p.name === 'specify');
    expect(specify).toMatchObject({ status: 'failed', attempt: 2, exitCode: 0 });
    expect(result.steps.find((p) => p.name === 'commit')?.status).toBe('skipped');
    expect(await git(remote, 'for-each-ref')).toBe(before);
    const { rows } = await stack.db.query(
      `SELECT attempt, status, exit_code FROM step_states WHERE run_id = $1 AND step = 'specify' ORDER BY attempt`,
      [result.runId],
    );
    expect(rows).toEqual([
      { attempt: 1, status: 'failed', exit_code: 0 },
      { attempt: 2, status: 'failed', exit_code: 0 },
    ]);
    // Each attempt keeps its own logs.
    const artifacts = await readdir(result.artifactsDir as string);
    expect(artifacts).toEqual(expect.arrayContaining(['specify.stdout.log', 'specify.attempt-2.stdout.log']));
  });
});
