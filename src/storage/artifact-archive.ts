// Copies a run's artifacts to S3-compatible object storage, so retention can delete the workspace
// and still keep the record. Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID
// and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance or task role): they never pass through the
// configuration, and no message here ever holds one.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { listFiles } from '../artifacts.js';
import { describeArtifact } from '../db/artifact-index.js';

export interface ArtifactArchiveOptions {
  bucket: string;
  /** Put before `<runId>/<path>` in every key; `speckit/` keeps the archive in one folder. */
  prefix: string;
  region: string;
  /** An S3-compatible server (MinIO, Ceph, moto, ...); unset: AWS S3 in `region`. */
  endpoint?: string;
  /** `<endpoint>/<bucket>/<key>` URLs, which most S3-compatible servers need, not `<bucket>.<endpoint>`. */
  forcePathStyle: boolean;
}

export interface ArchiveRunOptions {
  /** Stops the upload (the activity's cancellation). */
  signal?: AbortSignal;
  /** Called after each object is stored: the caller heartbeats, so a long archive is not taken for a hung one. */
  onObject?: (key: string) => void;
}

export interface ArchivedRun {
  objects: number;
  bytes: number;
}

export interface ArtifactArchive {
  /** Where a run's artifacts go: `s3://<bucket>/<prefix><runId>/`. */
  location(runId: string): string;
  /**
   * Uploads every file under `artifactsDir` to `<prefix><runId>/<relative path>`, with its sha256
   * as object metadata. Uploading again overwrites the same keys with the same content. A missing
   * `artifactsDir` has nothing to archive.
   */
  archiveRun(runId: string, artifactsDir: string, options?: ArchiveRunOptions): Promise<ArchivedRun>;
}

export type ArchiveFailure =
  | 'bucket-missing'
  | 'access-denied'
  | 'no-credentials'
  | 'unreachable'
  | 'upload-failed';

/** A failed archive. The message says what to fix; it never holds a credential. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
  constructor(
    message: string,
    readonly reason: ArchiveFailure,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The bucket, credentials or endpoint are at fault: every run would fail the same way, not only this one. */
  get storeUnusable(): boolean {
    return this.reason !== 'upload-failed';
  }
}

interface Client {
  s3: S3Client;
  sdk: typeof import('@aws-sdk/client-s3');
}

export function createArtifactArchive(
  options: ArtifactArchiveOptions,
  /** Tests and embedders only; the worker always uses the default chain. */
  credentials?: S3ClientConfig['credentials'],
): ArtifactArchive {
  const { bucket, prefix } = options;
  // Loaded on first use: with archiving off (the default), no worker or CLI start pays for the SDK.
  let client: Promise<Client> | undefined;
  const connect = async (): Promise<Client> => {
    const sdk = await import('@aws-sdk/client-s3');
    const s3 = new sdk.S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials,
      // A bucket in another region than configured is still found (AWS S3 answers with a redirect).
      followRegionRedirects: true,
      // The upload carries its own SHA-256 checksum; the SDK's default CRC32 trailer (aws-chunked
      // encoding) is one that several S3-compatible servers still refuse.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      // Bounded, so an endpoint that stops answering fails the archive instead of hanging the sweep.
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
      // The SDK warns on the console when a streamed upload fails; the caller gets an ArchiveError instead.
      logger: silentLogger,
    });
    return { s3, sdk };
  };
  const where = options.endpoint ?? `AWS S3 (${options.region})`;
  const location = (runId: string) => `s3://${bucket}/${prefix}${runId}/`;

  async function put(
    { s3, sdk }: Client,
    key: string,
    artifactsDir: string,
    file: string,
    signal?: AbortSignal,
  ): Promise<number> {
    const artifact = await describeArtifact(artifactsDir, file).catch((err: Error) => {
      throw new ArchiveError(`artifact archive: cannot read ${file}: ${err.message}`, 'upload-failed', {
        cause: err,
      });
    });
    // No retry loop here: a run whose archive fails stays for the next sweep, and the sweep
    // activity itself is retried by Temporal.
    try {
      await s3.send(
        new sdk.PutObjectCommand({
          Bucket: bucket,
          Key: key,
          // Streamed, never read whole into memory; PutObject takes up to 5 GiB.
          Body: createReadStream(path.join(artifactsDir, file)),
          ContentLength: artifact.sizeBytes,
          ContentType: contentType(artifact.mediaType),
          Metadata: { sha256: artifact.sha256 },
          // The server checks what it received against the checksum of the file.
          ChecksumSHA256: Buffer.from(artifact.sha256, 'hex').toString('base64'),
        }),
        { abortSignal: signal },
      );
      return artifact.sizeBytes;
    } catch (err) {
      throw classify(err, { bucket, where, key });
    }
  }

  return {
    location,
    async archiveRun(runId, artifactsDir, { signal, onObject } = {}) {
      const files = await listFiles(artifactsDir).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [];
        throw new ArchiveError(
          `artifact archive: cannot read ${artifactsDir}: ${err.message}`,
          'upload-failed',
          { cause: err },
        );
      });
      if (!files.length) return { objects: 0, bytes: 0 };
      client ??= connect();
      const s3 = await client;
      let bytes = 0;
      for (const file of files) {
        // Keys use `/` whatever the host's separator.
        const key = `${prefix}${runId}/${file.split(path.sep).join('/')}`;
        bytes += await put(s3, key, artifactsDir, file, signal);
        onObject?.(key);
      }
      return { objects: files.length, bytes };
    },
  };
}

/** Logs and JSON are written as UTF-8: saying so lets a browser show them right from the bucket. */
function contentType(mediaType: string): string {
  return mediaType.startsWith('text/') ? `${mediaType}; charset=utf-8` : mediaType;
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  errors?: SdkError[];
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'AllAccessDisabled',
  'AccountProblem',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

function networkCode(e: SdkError): string | undefined {
  // Node reports a connection refused on every address of a name as an AggregateError.
  const code = e.code ?? e.errors?.find((x) => x.code)?.code;
  if (code && NETWORK_CODES.has(code)) return code;
  return e.name === 'TimeoutError' ? 'timeout' : undefined;
}

function classify(err: unknown, c: { bucket: string; where: string; key: string }): ArchiveError {
  const e = err as SdkError;
  const code = e.name ?? 'Error';
  if (code === 'NoSuchBucket') {
    return new ArchiveError(
      `artifact archive: bucket ${c.bucket} does not exist at ${c.where}: create bucket ${c.bucket}, or set SPECKIT_ARCHIVE_S3_BUCKET to an existing one`,
      'bucket-missing',
      { cause: err },
    );
  }
  if (ACCESS_DENIED.has(code) || e.$metadata?.httpStatusCode === 403) {
    return new ArchiveError(
      `artifact archive: ${c.where} refused access to bucket ${c.bucket} (${code}): check the worker's credentials ` +
        '(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or its AWS_PROFILE or role) and that they allow ' +
        `s3:PutObject on ${c.bucket}`,
      'access-denied',
      { cause: err },
    );
  }
  if (code === 'CredentialsProviderError') {
    return new ArchiveError(
      'artifact archive: no AWS credentials found: give the worker AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ' +
        '(or AWS_PROFILE, or a role), or unset SPECKIT_ARCHIVE_S3_BUCKET to turn archiving off',
      'no-credentials',
      { cause: err },
    );
  }
  const network = networkCode(e);
  if (network) {
    return new ArchiveError(
      `artifact archive: ${c.where} unreachable (${network}): check SPECKIT_ARCHIVE_S3_ENDPOINT and the network`,
      'unreachable',
      { cause: err },
    );
  }
  if (e.name === 'AbortError') {
    return new ArchiveError(`artifact archive: upload of ${c.key} cancelled`, 'upload-failed', {
      cause: err,
    });
  }
  return new ArchiveError(
    `artifact archive: uploading s3://${c.bucket}/${c.key} failed (${code}): ${e.message ?? String(err)}`,
    'upload-failed',
    { cause: err },
  );
}

const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
