// The built CLI's read-only commands (status, list, artifacts, logs) against rows made for the
// test, and logs --follow and cancel against real runs on a test worker.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunRecords } from '../../src/db/run-records.js';
import { CLI, runCli, useCliStack } from '../support/cli.js';
import { insertRun, uniqueId } from '../support/run-rows.js';
import { eventually } from '../support/test-stack.js';

const { stack, cli } = useCliStack();

async function phase(runId: string, name: string, startedAt: Date, status: string, exitCode: number) {
  await stack().db.query(
    `INSERT INTO step_states (run_id, step, attempt, status, exit_code, started_at, finished_at, duration_ms)
     VALUES ($1, $2, 1, $3, $4, $5, $5::timestamptz + interval '2 seconds', 2000)`,
    [runId, name, status, exitCode, startedAt],
  );
}

async function runStatus(runId: string): Promise<{ status: string; finished_at: Date | null } | undefined> {
  const { rows } = await stack().db.query('SELECT status, finished_at FROM runs WHERE run_id = $1', [runId]);
  return rows[0];
}

describe('status, list, artifacts and logs on recorded runs', () => {
  const repo = `/srv/git/${uniqueId('app')}.git`;
  let failed: string;
  let going: string;

  beforeAll(async () => {
    const root = stack().config.workspaceRoot;
    const started = new Date(Date.now() - 60_000);
    const run = await insertRun(
      stack().db,
      root,
      {
        runId: uniqueId('cli'),
        status: 'failed',
        repo,
        createdAt: started,
        finishedAt: new Date(started.getTime() + 9_000),
        error: 'phase plan failed with exit code 3: boom',
      },
      {
        'specify.stdout.log': 'wrote spec.md\n',
        'specify.stderr.log': '',
        'plan.stdout.log': 'planning...\n',
        'plan.stderr.log': 'boom\n',
        'clone.stdout.log': 'Cloning into repo...\n',
        'summary.json': '{"status":"failed"}\n',
      },
    );
    failed = run.runId;
    await phase(failed, 'clone', started, 'succeeded', 0);
    await phase(failed, 'specify', new Date(started.getTime() + 3_000), 'succeeded', 0);
    await phase(failed, 'plan', new Date(started.getTime() + 6_000), 'failed', 3);
    await new RunRecords(stack().db).indexArtifacts({ ...run, retentionDays: 7, now: new Date() });
    going = (
      await insertRun(
        stack().db,
        root,
        { runId: uniqueId('cli'), status: 'in_progress', repo },
        { 'clone.stdout.log': 'x' },
      )
    ).runId;
  });

  it('status shows the run and each step; --json prints one object', async () => {
    const human = await cli('status', failed);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`run ${failed}: failed`);
    expect(human.stdout).toContain(`repo:      ${repo} (base main)`);
    expect(human.stdout).toContain('error:     phase plan failed with exit code 3: boom');
    expect(human.stdout).toMatch(/finished: .* \(9\.0s\)/);
    expect(human.stdout).toMatch(
      /STEP +ATTEMPT +STATUS +EXIT +DURATION\n +clone +1 +succeeded +0 +2\.0s\n +specify .*\n +plan +1 +failed +3 +2\.0s/,
    );

    const json = JSON.parse((await cli('status', failed, '--json')).stdout);
    expect(json).toMatchObject({
      runId: failed,
      status: 'failed',
      repo,
      featureBranch: null,
      expiredAt: null,
    });
    expect(json.steps.map((s: { step: string; exitCode: number }) => [s.step, s.exitCode])).toEqual([
      ['clone', 0],
      ['specify', 0],
      ['plan', 3],
    ]);
  });

  it('list filters by repository and status, newest first, up to --limit', async () => {
    const all = JSON.parse((await cli('list', '--repo', repo, '--json')).stdout);
    expect(all.map((r: { runId: string }) => r.runId)).toEqual([going, failed]);
    const onlyFailed = JSON.parse((await cli('list', '--repo', repo, '--status', 'failed', '--json')).stdout);
    expect(onlyFailed.map((r: { runId: string }) => r.runId)).toEqual([failed]);
    const human = await cli('list', '--repo', repo, '--limit', '1');
    expect(human.stdout.split('\n')[0]).toMatch(/^RUN +STATUS +STARTED +REPO +BRANCH$/);
    expect(human.stdout).toContain(going);
    expect(human.stdout).not.toContain(failed);
    expect((await cli('list', '--status', 'sideways')).code).toBe(2);
  });

  it('artifacts lists the index, or the directory of a run not indexed yet', async () => {
    const indexed = JSON.parse((await cli('artifacts', failed, '--json')).stdout);
    expect(indexed.indexed).toBe(true);
    expect(indexed.artifacts.map((a: { path: string }) => a.path)).toEqual([
      'clone.stdout.log',
      'plan.stderr.log',
      'plan.stdout.log',
      'specify.stderr.log',
      'specify.stdout.log',
      'summary.json',
    ]);
    expect(indexed.artifacts[0]).toMatchObject({
      kind: 'stdout',
      step: 'clone',
      sizeBytes: 21,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const human = await cli('artifacts', failed);
    expect(human.stdout).toMatch(/^PATH +SIZE +SHA256 +EXPIRES$/m);
    expect(human.stdout).toMatch(/^plan\.stderr\.log +5 B +[0-9a-f]{12} +\d{4}-/m);

    const listed = JSON.parse((await cli('artifacts', going, '--json')).stdout);
    expect(listed).toMatchObject({ indexed: false, artifacts: [{ path: 'clone.stdout.log', sizeBytes: 1 }] });
  });

  it('logs prints every step’s output in step order; --step (or --phase) only that step’s', async () => {
    const all = await cli('logs', failed);
    expect(all.stdout).toBe(
      [
        '==> clone.stdout.log <==',
        'Cloning into repo...',
        '==> specify.stdout.log <==',
        'wrote spec.md',
        '==> plan.stdout.log <==',
        'planning...',
        '==> plan.stderr.log <==',
        'boom',
        '',
      ].join('\n'),
    );
    expect((await cli('logs', failed, '--step', 'plan')).stdout).toBe(
      '==> plan.stdout.log <==\nplanning...\n==> plan.stderr.log <==\nboom\n',
    );
    const none = await cli('logs', failed, '--phase', 'tasks');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/step tasks of run .* has no log output/);
  });

  it.each([['status'], ['logs'], ['artifacts'], ['cancel']])(
    '%s of an unknown run says so and exits 1',
    async (command) => {
      const { code, stderr } = await cli(command, 'no-such-run');
      expect(stderr.trim()).toBe('error: no run no-such-run: see `speckit-automation list`');
      expect(code).toBe(1);
    },
  );
});

describe('without the database', () => {
  it('says how to start it, and exits 1', async () => {
    const { code, stderr } = await runCli(['list'], {
      DATABASE_URL: 'postgres://speckit@127.0.0.1:1/speckit',
    });
    expect(stderr.trim()).toBe(
      'error: PostgreSQL at 127.0.0.1:1 (the runs database) is unreachable (ECONNREFUSED): start it (`npm run stack:up`) or set DATABASE_URL',
    );
    expect(code).toBe(1);
  });
});

describe('with a bad environment', () => {
  it('names the variable and what it must be, without a stack trace, and exits 2', async () => {
    const { code, stderr } = await runCli(['list'], { SPECKIT_HOST_ID: 'two words' });
    expect(stderr.trim()).toBe(
      "error: invalid environment configuration:\n  SPECKIT_HOST_ID: must be letters, digits, '.', '_' or '-'\nFix these variables and retry.",
    );
    expect(code).toBe(2);
  });
});

describe('logs --follow and cancel on real runs', () => {
  it('logs --follow prints the output as the run goes and stops when it has finished', async () => {
    const { runId } = await stack().startSlowRun('Let users pin a list', 1, { publish: { mode: 'none' } });
    await eventually(() => runStatus(runId), 30_000, 'the run to be recorded');
    const follow = spawn('node', [CLI, 'logs', runId, '--follow']);
    let stdout = '';
    follow.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = once(follow, 'exit');
    await eventually(async () => stdout.includes('==> clone.'), 30_000, 'the first log lines');
    expect((await runStatus(runId))?.finished_at).toBeNull();
    const [code] = await exited;

    expect(code).toBe(0);
    expect((await runStatus(runId))?.finished_at).toBeInstanceOf(Date);
    const artifactsDir = path.join(stack().config.workspaceRoot, 'runs', runId, 'artifacts');
    const specify = await readFile(path.join(artifactsDir, 'specify.stdout.log'), 'utf8');
    expect(specify.length).toBeGreaterThan(0);
    // Printed as it grew: under a header each time the output came back to it, as `tail -f` does.
    expect(printedOf(stdout, 'specify.stdout.log')).toBe(specify);
    expect(stdout.indexOf('==> clone.')).toBeLessThan(stdout.indexOf('==> specify.'));
  });

  it('status shows how long the running step has been running; cancel stops the run, waits for its cleanup and prints the final status', async () => {
    const { runId } = await stack().startSlowRun('Let users archive a list', 120);
    await eventually(
      async () => {
        const { rows } = await stack().db.query(
          "SELECT 1 FROM step_states WHERE run_id = $1 AND step = 'specify' AND status = 'running'",
          [runId],
        );
        return rows[0];
      },
      60_000,
      'specify to start',
    );
    await new Promise((r) => setTimeout(r, 2_000));
    const status = await cli('status', runId);
    expect(status.stdout).toMatch(/^ +specify +1 +running +\d+s so far$/m);
    const json = JSON.parse((await cli('status', runId, '--json')).stdout);
    const specify = json.steps.find((s: { step: string }) => s.step === 'specify');
    expect(specify.elapsedMs).toBeGreaterThanOrEqual(1_500);
    expect(json.workersPolling).toBeGreaterThan(0);

    const cancelled = await cli('cancel', runId);
    expect(cancelled.stdout).toContain(`run ${runId}: cancelled`);
    expect(cancelled.code).toBe(0);
    expect(await runStatus(runId)).toMatchObject({ status: 'cancelled', finished_at: expect.any(Date) });

    const again = await cli('cancel', runId);
    expect(again.stderr).toContain(`run ${runId} already finished (cancelled): nothing to cancel`);
    expect(again.code).toBe(1);
  });
});

/** What `logs` printed of one file: its sections, each under a `==> file <==` header, joined in order. */
function printedOf(output: string, file: string): string {
  const parts = output.split(/^==> (.+) <==\n/m);
  let printed = '';
  for (let i = 1; i < parts.length; i += 2) if (parts[i] === file) printed += parts[i + 1];
  return printed;
}
