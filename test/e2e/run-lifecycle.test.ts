// prepareRun and finishRun called directly, against the real PostgreSQL and Docker: what they
// record, write and index, secrets masked, and the same result when a retry calls them again.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunLifecycle } from '../../src/activities/run-lifecycle.js';
import { type Config, loadConfig } from '../../src/config.js';
import { JobRunner } from '../../src/containers/job-runner.js';
import { migrate } from '../../src/db/migrate.js';
import { RunCheckpoints } from '../../src/db/run-checkpoints.js';
import { RunRecords } from '../../src/db/run-records.js';
import { createLogger } from '../../src/logging.js';
import { createMetrics } from '../../src/metrics.js';
import { Redactor } from '../../src/redaction.js';
import { parseRunInput } from '../../src/run/input.js';
import type { RunSummary } from '../../src/run/summary.js';
import { DAY_MS, uniqueId, writeFiles } from '../support/run-rows.js';

const SECRET = 'worker-secret-0123456789';
const GITHUB_TOKEN = `ghp_${'Z'.repeat(36)}`;

let config: Config;
let db: pg.Pool;
let lifecycle: ReturnType<typeof createRunLifecycle>;

beforeAll(async () => {
  const workspaceRoot = await mkdtemp(path.join(os.tmpdir(), 'speckit-ws-'));
  config = loadConfig({ ...process.env, SPECKIT_WORKSPACE_ROOT: workspaceRoot });
  const logger = createLogger('warn');
  await migrate(config.databaseUrl, logger);
  db = new pg.Pool({ connectionString: config.databaseUrl });
  const redactor = new Redactor([SECRET]);
  const docker = new Docker();
  lifecycle = createRunLifecycle({
    config,
    jobs: new JobRunner(docker, {
      hostId: config.hostId,
      limits: config.jobLimits,
      network: config.jobNetwork,
      redact: () => redactor.redactStream(),
    }),
    records: new RunRecords(db),
    checkpoints: new RunCheckpoints(db),
    logger,
    metrics: createMetrics({ enabled: false }),
    redactor,
  });
});
afterAll(async () => {
  await db?.end();
});

async function prepare(runId: string) {
  const input = parseRunInput({
    repo: '/srv/git/sample.git',
    specifyText: 'Share lists by email',
    agent: {
      backend: 'scripted',
      model: 'scripted-1',
      extraArgs: ['--token', GITHUB_TOKEN],
      options: { delaySeconds: 1, clarifications: 2 },
    },
  });
  return lifecycle.prepareRun({ runId, input });
}

describe('prepareRun', () => {
  it('records the agent configuration once, however often it runs, secrets masked', async () => {
    const runId = uniqueId('lc');
    await prepare(runId);
    await prepare(runId);
    const { rows } = await db.query(
      'SELECT backend, model, version, options FROM agent_configs WHERE run_id = $1',
      [runId],
    );
    expect(rows).toEqual([
      {
        backend: 'scripted',
        model: 'scripted-1',
        version: null,
        options: { extraArgs: ['--token', '***'], options: { delaySeconds: 1, clarifications: 2 } },
      },
    ]);
  });
});

describe('finishRun', () => {
  it('writes the summary and commit status with secrets masked, indexes every artifact, and is idempotent', async () => {
    const runId = uniqueId('lc');
    const { artifactsDir } = await prepare(runId);
    const files: Record<string, string> = {
      'clone.stdout.log': 'Cloning into repo...\n',
      'clone.stderr.log': '',
      'commit.result.json': '{"changed":true}\n',
      'diff.patch': 'diff --git a/spec.md b/spec.md\n',
      'diff.stat': ' spec.md | 1 +\n',
      'notes/extra.bin': 'anything else',
    };
    await writeFiles(artifactsDir, files);
    await symlink('/etc/hostname', path.join(artifactsDir, 'linked.log'));
    const summary: RunSummary = {
      runId,
      workflowId: runId,
      status: 'failed',
      repo: '/srv/git/sample.git',
      branch: 'speckit/001-share-lists',
      commit: 'a'.repeat(40),
      error: `push failed: https://x-access-token:${SECRET}@github.com/acme/app.git (${GITHUB_TOKEN})`,
      steps: [
        { name: 'commit', status: 'succeeded', exitCode: 0, durationMs: 10 },
        { name: 'push', status: 'failed', exitCode: 128, durationMs: 20 },
      ],
    };

    const before = Date.now();
    await lifecycle.finishRun(summary);
    const first = await artifactRows(runId);
    await lifecycle.finishRun(summary);
    expect((await artifactRows(runId)).map(({ expires_at, ...row }) => row)).toEqual(
      first.map(({ expires_at, ...row }) => row),
    );

    const maskedError = 'push failed: https://***@github.com/acme/app.git (***)';
    const written = JSON.parse(await readFile(path.join(artifactsDir, 'summary.json'), 'utf8'));
    expect(written).toEqual({ ...summary, error: maskedError, cleanup: { containersRemoved: 0 } });
    expect(JSON.parse(await readFile(path.join(artifactsDir, 'commit-status.json'), 'utf8'))).toEqual({
      branch: 'speckit/001-share-lists',
      commit: 'a'.repeat(40),
      pushed: false,
      pullRequestUrl: null,
    });
    const { rows: runs } = await db.query('SELECT status, error, finished_at FROM runs WHERE run_id = $1', [
      runId,
    ]);
    expect(runs[0]).toMatchObject({ status: 'failed', error: maskedError });

    const expected = {
      ...files,
      'summary.json': await readFile(path.join(artifactsDir, 'summary.json'), 'utf8'),
      'commit-status.json': await readFile(path.join(artifactsDir, 'commit-status.json'), 'utf8'),
    };
    expect(first.map((r) => r.path)).toEqual(Object.keys(expected).sort());
    for (const row of first) {
      const content = expected[row.path as keyof typeof expected] as string;
      expect(row.size_bytes).toBe(String(Buffer.byteLength(content)));
      expect(row.sha256).toBe(createHash('sha256').update(content).digest('hex'));
      expect(row.expires_at.getTime()).toBeGreaterThanOrEqual(before + config.retentionDays * DAY_MS);
      expect(row.expires_at.getTime()).toBeLessThan(Date.now() + config.retentionDays * DAY_MS);
    }
    expect(first.map((r) => [r.path, r.step, r.kind, r.media_type])).toEqual([
      ['clone.stderr.log', 'clone', 'stderr', 'text/plain'],
      ['clone.stdout.log', 'clone', 'stdout', 'text/plain'],
      ['commit-status.json', null, 'status', 'application/json'],
      ['commit.result.json', 'commit', 'result', 'application/json'],
      ['diff.patch', null, 'diff', 'text/x-diff'],
      ['diff.stat', null, 'diff', 'text/plain'],
      ['notes/extra.bin', null, 'other', 'application/octet-stream'],
      ['summary.json', null, 'summary', 'application/json'],
    ]);
  });
});

async function artifactRows(runId: string) {
  const { rows } = await db.query(
    `SELECT path, step, kind, media_type, size_bytes, sha256, expires_at, expired_at
     FROM artifacts WHERE run_id = $1 ORDER BY path`,
    [runId],
  );
  return rows;
}
