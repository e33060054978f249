import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { containersOf, git, makeSampleRepo, useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('specKitRun on the real stack', () => {
  it('clones, runs specify, plan and tasks, commits and pushes the feature branch', async () => {
    const remote = await makeSampleRepo();
    const mainBefore = await git(remote, 'rev-parse', 'main');

    const run = await stack().run({
      repo: remote,
      specifyText: 'Let users share a to-do list with a teammate by email',
      agent: { backend: 'scripted' },
    });

    expect(run.status).toBe('succeeded');
    expect(run.steps.map((p) => [p.name, p.status, p.exitCode])).toEqual([
      ['clone', 'succeeded', 0],
      ['init', 'succeeded', 0],
      ['specify', 'succeeded', 0],
      ['plan', 'succeeded', 0],
      ['tasks', 'succeeded', 0],
      ['commit', 'succeeded', 0],
      ['push', 'succeeded', 0],
    ]);
    expect(run.branch).toMatch(/^speckit\/001-[a-z0-9-]+$/);

    // The pushed branch holds the commit and the documents Spec Kit's templates shape.
    expect((await git(remote, 'rev-parse', run.branch as string)).trim()).toBe(run.commit);
    expect((await git(remote, 'rev-parse', 'main')).trim()).toBe(mainBefore.trim());
    const featureDir = `specs/${(run.branch as string).replace('speckit/', '')}`;
    const files = (await git(remote, 'ls-tree', '-r', '--name-only', run.branch as string)).split('\n');
    for (const doc of ['spec.md', 'plan.md', 'research.md', 'data-model.md', 'quickstart.md', 'tasks.md']) {
      expect(files).toContain(`${featureDir}/${doc}`);
    }
    expect(files).toContain('.specify/templates/spec-template.md');
    expect(files).not.toContain('.specify/feature.json');
    const spec = await git(remote, 'show', `${run.branch}:${featureDir}/spec.md`);
    expect(spec).toContain('## User Scenarios & Testing');
    expect(spec).toContain('## Requirements');
    expect(spec).toContain('share a to-do list');
    expect(spec).not.toContain('[FEATURE NAME]');
    const tasks = await git(remote, 'show', `${run.branch}:${featureDir}/tasks.md`);
    expect(tasks).toMatch(/- \[ \] T001 /);
    const message = await git(remote, 'log', '-1', '--format=%s%n%b%n%an <%ae>', run.branch as string);
    expect(message).toContain(`(run ${run.runId})`);
    expect(message).toContain('Spec Kit phases: specify, plan, tasks');
    expect(message).toContain('Agent: scripted');
    expect(message).toContain('Spec Kit Automation <speckit-automation@localhost>');

    // PostgreSQL holds the run and each phase.
    const { rows: runs } = await stack().db.query('SELECT * FROM runs WHERE run_id = $1', [run.runId]);
    expect(runs[0]).toMatchObject({
      status: 'succeeded',
      repo: remote,
      feature_branch: run.branch,
      commit_sha: run.commit,
      agent_backend: 'scripted',
      phases: ['specify', 'plan', 'tasks'],
    });
    expect(runs[0].finished_at).toBeInstanceOf(Date);
    const { rows: steps } = await stack().db.query(
      'SELECT step, status, exit_code, container_id, duration_ms, finished_at FROM step_states WHERE run_id = $1 ORDER BY started_at',
      [run.runId],
    );
    expect(steps.map((s) => [s.step, s.status, s.exit_code])).toEqual(
      run.steps.map((p) => [p.name, 'succeeded', 0]),
    );
    for (const p of steps) {
      expect(p.container_id).toMatch(/^[0-9a-f]{64}$/);
      expect(p.duration_ms).toBeGreaterThanOrEqual(0);
      expect(p.finished_at).toBeInstanceOf(Date);
    }

    // Artifacts: per-step logs and the run summary; nothing left running.
    expect(run.artifactsDir).toBe(path.join(stack().config.workspaceRoot, 'runs', run.runId, 'artifacts'));
    const artifacts = await readdir(run.artifactsDir as string);
    for (const step of run.steps) {
      expect(artifacts).toContain(`${step.name}.stdout.log`);
      expect(artifacts).toContain(`${step.name}.stderr.log`);
    }
    expect(await readFile(path.join(run.artifactsDir as string, 'specify.stdout.log'), 'utf8')).toMatch(
      /spec\.md/,
    );
    const summary = JSON.parse(await readFile(path.join(run.artifactsDir as string, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ runId: run.runId, status: 'succeeded', commit: run.commit });
    expect(existsSync(path.join(stack().config.workspaceRoot, 'runs', run.runId, 'home'))).toBe(false);
    expect(await containersOf(stack(), run.runId)).toEqual([]);
  });

  it('a failing phase fails the run with its exit code, skips the rest and publishes nothing', async () => {
    const remote = await makeSampleRepo();
    const run = await stack().run({
      repo: remote,
      specifyText: 'Add due dates to to-do items',
      agent: { backend: 'scripted', options: { failPhase: 'plan', failExitCode: 3 } },
    });

    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/phase plan failed with exit code 3/);
    expect(run.steps.map((p) => [p.name, p.status])).toEqual([
      ['clone', 'succeeded'],
      ['init', 'succeeded'],
      ['specify', 'succeeded'],
      ['plan', 'failed'],
      ['tasks', 'skipped'],
      ['commit', 'skipped'],
      ['push', 'skipped'],
    ]);
    expect(run.steps.find((p) => p.name === 'plan')?.exitCode).toBe(3);
    expect((await git(remote, 'branch', '--list')).trim()).toBe('* main');

    const { rows } = await stack().db.query('SELECT status, error FROM runs WHERE run_id = $1', [run.runId]);
    expect(rows[0].status).toBe('failed');
    expect(rows[0].error).toMatch(/phase plan failed/);
    const { rows: plan } = await stack().db.query(
      "SELECT status, exit_code FROM step_states WHERE run_id = $1 AND step = 'plan'",
      [run.runId],
    );
    expect(plan).toEqual([{ status: 'failed', exit_code: 3 }]);
    expect(await readdir(run.artifactsDir as string)).toContain('plan.stderr.log');
    expect(await containersOf(stack(), run.runId)).toEqual([]);
  });

  it('a repository that does not exist fails at once, without retrying', async () => {
    const run = await stack().run({
      repo: '/nonexistent/speckit/repo.git',
      specifyText: 'Anything',
      agent: { backend: 'scripted' },
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/repository \/nonexistent\/speckit\/repo.git not found on the worker host/);
    expect(run.steps[0]).toMatchObject({ name: 'clone', status: 'failed' });
    expect(existsSync('/nonexistent/speckit')).toBe(false);
  });

  it('a base branch that does not exist fails as repository-not-found with git’s message', async () => {
    const remote = await makeSampleRepo();
    const run = await stack().run({
      repo: remote,
      baseBranch: 'no-such-branch',
      specifyText: 'Anything',
      agent: { backend: 'scripted' },
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/cannot clone .* at branch no-such-branch: .*not found/s);
    expect(run.steps[0]).toMatchObject({ name: 'clone', status: 'failed', exitCode: 128 });
  });
});
