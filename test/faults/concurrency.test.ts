import { describe, expect, it } from 'vitest';
import { LABELS } from '../../src/containers/identity.js';
import { git, makeSampleRepo, useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

const FORMATS = ['csv', 'json', 'xml', 'yaml', 'toml', 'html', 'pdf', 'markdown', 'ods', 'xlsx'];

describe('concurrency', () => {
  it('ten runs started at once on one repository all succeed, each in its own workspace, containers and branch', async () => {
    const repo = await makeSampleRepo();
    const remotes = Array(10).fill(repo) as string[];
    const started = await Promise.all(
      remotes.map((repo, i) =>
        stack().client.startRun({
          repo,
          specifyText: `Export the to-do list as ${FORMATS[i]} files`,
          agent: { backend: 'scripted' },
        }),
      ),
    );
    const runs = await Promise.all(started.map(({ runId }) => stack().client.result(runId)));

    expect(runs.map((r) => r.status)).toEqual(Array(10).fill('succeeded'));
    expect(new Set(runs.map((r) => r.artifactsDir)).size).toBe(10);
    expect(new Set(runs.map((r) => r.branch)).size).toBe(10);
    for (const [i, run] of runs.entries()) {
      expect((await git(remotes[i] as string, 'rev-parse', run.branch as string)).trim()).toBe(run.commit);
      const files = await git(repo, 'ls-tree', '-r', '--name-only', run.branch as string);
      const spec = files.split('\n').find((f) => f.endsWith('/spec.md')) as string;
      expect(await git(repo, 'show', `${run.branch}:${spec}`)).toContain(`as ${FORMATS[i]} files`);
    }
    const { rows } = await stack().db.query(
      'SELECT run_id, count(DISTINCT container_id)::int AS containers FROM step_states WHERE run_id = ANY($1) GROUP BY run_id',
      [runs.map((r) => r.runId)],
    );
    expect(rows.map((r) => r.containers)).toEqual(Array(10).fill(7));
    const left = await stack().docker.listContainers({ all: true, filters: { label: [LABELS.managed] } });
    expect(left.filter((c) => runs.some((r) => c.Labels[LABELS.runId] === r.runId))).toEqual([]);
  });
});
