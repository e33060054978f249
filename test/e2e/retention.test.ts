// The retention sweep and its schedule on the real stack: workspaces of long-finished runs go,
// active runs stay, orphan job containers are removed, the schedule starts the sweep; with an
// archive configured (a moto S3 server here), artifacts are copied before their run is deleted.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LABELS } from '../../src/containers/identity.js';
import { RunRecords } from '../../src/db/run-records.js';
import { ensureRetentionSchedule } from '../../src/schedules.js';
import type { RetentionSweepInput, RetentionSweepResult } from '../../src/workflows/retention-sweep.js';
import { DAY_MS, insertRun, uniqueId } from '../support/run-rows.js';
import { type S3Server, startS3Server } from '../support/s3-server.js';
import { eventually, makeSampleRepo, startTestStack, type TestStack } from '../support/test-stack.js';

let stack: TestStack;
let connection: Connection;
let temporal: Client;

beforeAll(async () => {
  stack = await startTestStack();
  connection = await Connection.connect({ address: stack.config.temporal.address });
  temporal = new Client({ connection, namespace: stack.config.temporal.namespace });
});
afterAll(async () => {
  await connection?.close();
  await stack?.stop();
});

function sweep(input: RetentionSweepInput, on: TestStack = stack): Promise<RetentionSweepResult> {
  return temporal.workflow.execute('retentionSweep', {
    taskQueue: on.config.temporal.taskQueue,
    workflowId: uniqueId('sweep'),
    args: [input],
  });
}

/** A job container as a dead worker leaves it: labelled, running, with an expiry in its label. */
async function jobContainer(runId: string, expiresAt: Date) {
  const container = await stack.docker.createContainer({
    Image: stack.config.jobImage,
    Cmd: ['sleep', '300'],
    Labels: { [LABELS.managed]: 'true', [LABELS.runId]: runId, [LABELS.expiresAt]: expiresAt.toISOString() },
  });
  await container.start();
  return container;
}

async function exists(container: { inspect(): Promise<unknown> }): Promise<boolean> {
  return container.inspect().then(
    () => true,
    () => false,
  );
}

async function expiredAt(table: 'runs' | 'artifacts', runId: string): Promise<(Date | null)[]> {
  const { rows } = await stack.db.query(`SELECT expired_at FROM ${table} WHERE run_id = $1 ORDER BY 1`, [
    runId,
  ]);
  return rows.map((r) => r.expired_at);
}

describe('retentionSweep', () => {
  it('removes long-finished runs and orphan containers, never an active run', async () => {
    const root = stack.config.workspaceRoot;
    const monthAgo = new Date(Date.now() - 30 * DAY_MS);
    const old = await insertRun(
      stack.db,
      root,
      { runId: uniqueId('old'), status: 'succeeded', finishedAt: monthAgo },
      { 'specify.stdout.log': 'spec written\n', 'summary.json': '{}\n' },
    );
    await new RunRecords(stack.db).indexArtifacts({ ...old, retentionDays: 7, now: monthAgo });
    const active = await insertRun(stack.db, root, {
      runId: uniqueId('active'),
      status: 'in_progress',
      createdAt: monthAgo,
    });
    const recent = await insertRun(stack.db, root, {
      runId: uniqueId('recent'),
      status: 'failed',
      finishedAt: new Date(Date.now() - 3600_000),
    });
    const orphan = await jobContainer(uniqueId('orphan'), new Date(Date.now() - 60_000));
    const live = await jobContainer(uniqueId('live'), new Date(Date.now() + 3600_000));

    try {
      const result = await sweep({});

      expect(result).toMatchObject({ runsDeleted: 1, artifactsExpired: 2, skippedActive: 1 });
      // Other suites' leftovers on this Docker daemon may be removed too.
      expect(result.containersRemoved).toBeGreaterThanOrEqual(1);
      expect(existsSync(old.runDir)).toBe(false);
      expect(await expiredAt('runs', old.runId)).toEqual([expect.any(Date)]);
      expect(await expiredAt('artifacts', old.runId)).toEqual([expect.any(Date), expect.any(Date)]);
      expect(existsSync(active.repoDir)).toBe(true);
      expect(await expiredAt('runs', active.runId)).toEqual([null]);
      expect(existsSync(recent.repoDir)).toBe(true);
      expect(await exists(orphan)).toBe(false);
      expect(await exists(live)).toBe(true);

      // Swept once: the next sweep finds nothing more to do.
      expect(await sweep({})).toMatchObject({ runsDeleted: 0, artifactsExpired: 0, skippedActive: 1 });
    } finally {
      await live.remove({ force: true });
    }
  });

  it('sweeps a real run once its (test-shortened) retention has passed', async () => {
    const { runId } = await stack.client.startRun({
      repo: await makeSampleRepo(),
      specifyText: 'Let users star their favourite lists',
      agent: { backend: 'scripted' },
    });
    const run = await stack.client.result(runId);
    expect(run.status).toBe('succeeded');
    const artifactsDir = run.artifactsDir as string;

    const { rows: indexed } = await stack.db.query(
      'SELECT path, kind, sha256 FROM artifacts WHERE run_id = $1 ORDER BY path',
      [runId],
    );
    expect(indexed.map((a) => a.path)).toEqual(
      expect.arrayContaining([
        'summary.json',
        'commit-status.json',
        'specify.stdout.log',
        'commit.result.json',
      ]),
    );
    for (const a of indexed) {
      const content = await readFile(path.join(artifactsDir, a.path));
      expect(a.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    }

    const result = await sweep({ retentionMs: 1 });
    expect(result.runsDeleted).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.dirname(artifactsDir))).toBe(false);
    expect(await expiredAt('artifacts', runId)).toEqual(indexed.map(() => expect.any(Date)));
  });

  it('refuses a retention below seven days unless given in milliseconds', async () => {
    await expect(sweep({ retentionDays: 3 })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/below the 7-day minimum: set SPECKIT_RETENTION_DAYS/) },
    });
  });
});

describe('retentionSweep with an artifact archive', () => {
  const bucket = 'speckit-retention-test';
  const prefix = 'archive/';
  let s3: S3Server;
  let archiving: TestStack;

  beforeAll(async () => {
    s3 = await startS3Server();
    // The worker finds its credentials as in production: the SDK's chain, which reads this
    // process's environment itself (restored after the tests).
    vi.stubEnv('AWS_ACCESS_KEY_ID', s3.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', s3.credentials.secretAccessKey);
    // The bucket is created later, by the test: until then archiving fails.
    archiving = await startTestStack({
      SPECKIT_ARCHIVE_S3_BUCKET: bucket,
      SPECKIT_ARCHIVE_S3_PREFIX: prefix,
      SPECKIT_ARCHIVE_S3_ENDPOINT: s3.endpoint,
    });
  });
  afterAll(async () => {
    await archiving?.stop();
    await s3?.stop();
    vi.unstubAllEnvs();
  });

  it('copies the artifacts of a run before deleting it; a run it cannot copy stays for the next sweep', async () => {
    const monthAgo = new Date(Date.now() - 30 * DAY_MS);
    const files = { 'specify.stdout.log': 'spec written ✓\n', 'summary.json': '{"status":"succeeded"}\n' };
    const old = await insertRun(
      archiving.db,
      archiving.config.workspaceRoot,
      { runId: uniqueId('archived'), status: 'succeeded', finishedAt: monthAgo },
      files,
    );
    await new RunRecords(archiving.db).indexArtifacts({ ...old, retentionDays: 7, now: monthAgo });

    // No bucket yet: the run is not archived, so it is not deleted either.
    expect(await sweep({}, archiving)).toMatchObject({ runsDeleted: 0, runsArchived: 0, archiveFailed: 1 });
    expect(existsSync(old.runDir)).toBe(true);
    expect(await expiredAt('runs', old.runId)).toEqual([null]);
    expect(await expiredAt('artifacts', old.runId)).toEqual([null, null]);

    await s3.createBucket(bucket);
    expect(await sweep({}, archiving)).toMatchObject({
      runsDeleted: 1,
      artifactsExpired: 2,
      runsArchived: 1,
      archiveFailed: 0,
    });
    expect(existsSync(old.runDir)).toBe(false);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(
      Object.keys(files).map((name) => `${prefix}${old.runId}/${name}`),
    );
    const { rows: indexed } = await archiving.db.query(
      'SELECT path, sha256 FROM artifacts WHERE run_id = $1',
      [old.runId],
    );
    for (const { path: name, sha256 } of indexed) {
      const object = await s3.client.send(
        new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${old.runId}/${name}` }),
      );
      expect(object.Metadata).toEqual({ sha256 });
      expect(await object.Body?.transformToString()).toBe(files[name as keyof typeof files]);
    }

    // Archived and deleted once: the next sweep finds nothing more to do.
    expect(await sweep({}, archiving)).toMatchObject({ runsDeleted: 0, runsArchived: 0, archiveFailed: 0 });
  });
});

describe('ensureRetentionSchedule', () => {
  it('creates the schedule once, updates it after, and its action runs the sweep on the worker', async () => {
    const scheduleId = uniqueId('retention-test');
    const options = { taskQueue: stack.config.temporal.taskQueue, retentionDays: 7, scheduleId };
    await ensureRetentionSchedule(temporal, options);
    const handle = await ensureRetentionSchedule(temporal, { ...options, interval: '2h' });
    try {
      const schedule = await handle.describe();
      expect(schedule.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
      expect(schedule.spec.intervals).toMatchObject([{ every: 2 * 3600_000 }]);
      expect(schedule.action).toMatchObject({
        workflowType: 'retentionSweep',
        taskQueue: options.taskQueue,
        args: [{ retentionDays: 7 }],
      });

      await handle.trigger();
      const workflowId = await eventually(
        async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId,
        10_000,
        'the schedule to start the sweep',
      );
      const result = await temporal.workflow.getHandle(workflowId as string).result();
      expect(result).toEqual({
        runsDeleted: expect.any(Number),
        artifactsExpired: expect.any(Number),
        containersRemoved: expect.any(Number),
        skippedActive: expect.any(Number),
        runsArchived: 0,
        archiveFailed: 0,
      });
    } finally {
      await handle.delete();
    }
  });
});

describe('worker start', () => {
  it('removes orphan job containers before taking work', async () => {
    const orphan = await jobContainer(uniqueId('orphan-at-start'), new Date(Date.now() - 60_000));
    const another = await startTestStack();
    try {
      expect(await exists(orphan)).toBe(false);
    } finally {
      await another.stop();
    }
  });
});
