// The artifact archive against a real S3-compatible server (moto, installed by scripts/setup.sh):
// what lands where, with which metadata, and what an operator is told when it cannot.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import {
  ArchiveError,
  type ArtifactArchiveOptions,
  createArtifactArchive,
} from '../../src/storage/artifact-archive.js';
import { uniqueId } from '../support/run-rows.js';
import { type S3Server, startS3Server } from '../support/s3-server.js';

const BUCKET = 'speckit-archive-test';

let s3: S3Server;

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket(BUCKET);
});
afterAll(async () => {
  await s3?.stop();
});

function archive(options: Partial<ArtifactArchiveOptions> = {}) {
  return createArtifactArchive(
    {
      bucket: BUCKET,
      prefix: 'speckit/',
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      ...options,
    },
    s3.credentials,
  );
}

/** A run's artifacts directory as a run leaves it, plus a binary file in a subdirectory. */
async function artifactsDir(): Promise<{ dir: string; files: Record<string, Buffer> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'speckit-archive-'));
  const files: Record<string, Buffer> = {
    'specify.stdout.log': Buffer.from('spec written ✓\n'),
    'specify.stderr.log': Buffer.alloc(0),
    'commit.result.json': Buffer.from('{"commit":"abc123"}\n'),
    'diff.patch': Buffer.from('--- a/x\n+++ b/x\n'),
    'diff.stat': Buffer.from(' x | 1 +\n'),
    // Several MiB, so the upload really streams.
    'extra/blob.bin': randomBytes(3 * 1024 * 1024 + 17),
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  // A job container could leave a link to a file elsewhere: it is not followed, not archived.
  await symlink('/etc/hostname', path.join(dir, 'link.log'));
  return { dir, files };
}

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key as string).sort();
}

async function objectBytes(key: string): Promise<Buffer> {
  const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('createArtifactArchive', () => {
  it('uploads every artifact under <prefix><runId>/ with its size, sha256 and content type', async () => {
    const { dir, files } = await artifactsDir();
    const runId = uniqueId('run');
    const result = await archive().archiveRun(runId, dir);

    const sizes = Object.values(files).map((b) => b.length);
    expect(result).toEqual({ objects: 6, bytes: sizes.reduce((a, b) => a + b, 0) });
    expect(await keysUnder(`speckit/${runId}/`)).toEqual(
      Object.keys(files)
        .map((name) => `speckit/${runId}/${name}`)
        .sort(),
    );
    const types: Record<string, string> = {
      'specify.stdout.log': 'text/plain; charset=utf-8',
      'specify.stderr.log': 'text/plain; charset=utf-8',
      'commit.result.json': 'application/json',
      'diff.patch': 'text/x-diff; charset=utf-8',
      'diff.stat': 'text/plain; charset=utf-8',
      'extra/blob.bin': 'application/octet-stream',
    };
    for (const [name, content] of Object.entries(files)) {
      const key = `speckit/${runId}/${name}`;
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      expect({ name, size: head.ContentLength, type: head.ContentType, meta: head.Metadata }).toEqual({
        name,
        size: content.length,
        type: types[name],
        meta: { sha256: sha256(content) },
      });
      expect((await objectBytes(key)).equals(content)).toBe(true);
    }
    expect(archive().location(runId)).toBe(`s3://${BUCKET}/speckit/${runId}/`);
  });

  it('archiving again overwrites the same keys: nothing is added or duplicated', async () => {
    const { dir, files } = await artifactsDir();
    const runId = uniqueId('run');
    const first = await archive({ prefix: '' }).archiveRun(runId, dir);
    const keys = await keysUnder(`${runId}/`);

    // A retried sweep archives the run again, perhaps after a file changed.
    const changed = Buffer.from('spec written again\n');
    await writeFile(path.join(dir, 'specify.stdout.log'), changed);
    const second = await archive({ prefix: '' }).archiveRun(runId, dir);

    expect(second.objects).toBe(first.objects);
    expect(second.bytes).toBe(first.bytes - (files['specify.stdout.log']?.length ?? 0) + changed.length);
    expect(await keysUnder(`${runId}/`)).toEqual(keys);
    expect((await objectBytes(`${runId}/specify.stdout.log`)).toString()).toBe(changed.toString());
    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: `${runId}/specify.stdout.log` }),
    );
    expect(head.Metadata).toEqual({ sha256: sha256(changed) });
    // Compared as a whole: a deep toEqual of 3 MiB takes seconds.
    expect(sha256(await objectBytes(`${runId}/extra/blob.bin`))).toBe(
      sha256(files['extra/blob.bin'] as Buffer),
    );
  });

  it('has nothing to archive for a run whose artifacts directory is gone', async () => {
    const missing = path.join(os.tmpdir(), uniqueId('no-such-run'), 'artifacts');
    expect(await archive().archiveRun('gone', missing)).toEqual({ objects: 0, bytes: 0 });
  });

  it('says to create the bucket, or configure another, when it does not exist', async () => {
    const { dir } = await artifactsDir();
    const err = await archive({ bucket: 'no-such-bucket' })
      .archiveRun(uniqueId('run'), dir)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect(err).toMatchObject({
      reason: 'bucket-missing',
      storeUnusable: true,
      message: expect.stringMatching(
        /bucket no-such-bucket does not exist .*: create bucket no-such-bucket, or set SPECKIT_ARCHIVE_S3_BUCKET/,
      ),
    });
  });

  it('says the endpoint is unreachable when nothing answers there', async () => {
    const { dir } = await artifactsDir();
    const closed = 'http://127.0.0.1:9'; // discard port: nothing listens
    const err = await archive({ endpoint: closed })
      .archiveRun(uniqueId('run'), dir)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      reason: 'unreachable',
      message: expect.stringMatching(
        /http:\/\/127\.0\.0\.1:9 unreachable \(ECONNREFUSED\): check SPECKIT_ARCHIVE_S3_ENDPOINT/,
      ),
    });
  });

  it('points at the credentials when the server refuses them, without showing them', async () => {
    // moto checks signatures only once asked to: a fresh server, so the others stay open.
    const strict = await startS3Server({ MOTO_ENABLE_IAM: 'true', INITIAL_NO_AUTH_ACTION_COUNT: '0' });
    try {
      const { dir } = await artifactsDir();
      const secret = 'not-the-real-secret-access-key';
      const err = await createArtifactArchive(
        { bucket: BUCKET, prefix: '', region: 'us-east-1', endpoint: strict.endpoint, forcePathStyle: true },
        { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: secret },
      )
        .archiveRun(uniqueId('run'), dir)
        .catch((e: unknown) => e);
      expect(err).toMatchObject({
        reason: 'access-denied',
        message: expect.stringMatching(
          /refused access to bucket .*: check the worker's credentials \(AWS_ACCESS_KEY_ID/,
        ),
      });
      expect((err as Error).message).not.toContain(secret);
    } finally {
      await strict.stop();
    }
  });
});

describe('archive configuration', () => {
  const base = { SPECKIT_WORKSPACE_ROOT: '/tmp/ws' };

  it('is off unless a bucket is set', () => {
    expect(loadConfig(base).archive).toBeUndefined();
    expect(loadConfig({ ...base, SPECKIT_ARCHIVE_S3_BUCKET: '' }).archive).toBeUndefined();
  });

  it('defaults to the speckit/ prefix in us-east-1, path-style only with an endpoint', () => {
    expect(loadConfig({ ...base, SPECKIT_ARCHIVE_S3_BUCKET: 'runs' }).archive).toEqual({
      bucket: 'runs',
      prefix: 'speckit/',
      region: 'us-east-1',
      endpoint: undefined,
      forcePathStyle: false,
    });
    const compatible = {
      ...base,
      SPECKIT_ARCHIVE_S3_BUCKET: 'runs',
      SPECKIT_ARCHIVE_S3_ENDPOINT: 'http://minio.internal:9000',
      SPECKIT_ARCHIVE_S3_REGION: 'eu-west-3',
      SPECKIT_ARCHIVE_S3_PREFIX: 'ci/',
    };
    expect(loadConfig(compatible).archive).toEqual({
      bucket: 'runs',
      prefix: 'ci/',
      region: 'eu-west-3',
      endpoint: 'http://minio.internal:9000',
      forcePathStyle: true,
    });
    expect(
      loadConfig({ ...compatible, SPECKIT_ARCHIVE_S3_FORCE_PATH_STYLE: 'false' }).archive?.forcePathStyle,
    ).toBe(false);
  });

  it('names the variable that is wrong', () => {
    for (const [name, value] of [
      ['SPECKIT_ARCHIVE_S3_ENDPOINT', 'minio:9000'],
      ['SPECKIT_ARCHIVE_S3_PREFIX', '/speckit/'],
      ['SPECKIT_ARCHIVE_S3_FORCE_PATH_STYLE', 'maybe'],
      ['SPECKIT_ARCHIVE_S3_BUCKET', 'a/b'],
    ] as const) {
      expect(() => loadConfig({ ...base, SPECKIT_ARCHIVE_S3_BUCKET: 'runs', [name]: value })).toThrow(
        expect.objectContaining({ constructor: ConfigError, message: expect.stringContaining(name) }),
      );
    }
  });

  it('never holds credentials', () => {
    const config = loadConfig({
      ...base,
      SPECKIT_ARCHIVE_S3_BUCKET: 'runs',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(JSON.stringify(config)).not.toMatch(/AKIAIOSFODNN7EXAMPLE|EXAMPLEKEY/);
  });
});
