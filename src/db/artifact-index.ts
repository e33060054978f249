import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { ARTIFACT_FILES, listFiles } from '../artifacts.js';

export type ArtifactKind =
  | 'stdout'
  | 'stderr'
  | 'result'
  | 'diff'
  | 'summary'
  | 'status'
  | 'environment'
  | 'other';

export interface IndexedArtifact {
  /** Relative to the run's artifacts directory. */
  path: string;
  step: string | null;
  kind: ArtifactKind;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface ArtifactIndexRequest {
  runId: string;
  artifactsDir: string;
  retentionDays: number;
  now: Date;
}

const DAY_MS = 24 * 3600_000;

// `<step>[.attempt-N].<kind>.<ext>` are a step's files (container-step, job-runner); the rest belong to the run.
const STEP_FILE = /^(?<step>[^.]+)\.(?:attempt-\d+\.)?(?<kind>stdout|stderr|result)\.(log|json)$/;
const RUN_FILES: Record<string, ArtifactKind> = {
  [ARTIFACT_FILES.summary]: 'summary',
  [ARTIFACT_FILES.commitStatus]: 'status',
  [ARTIFACT_FILES.environment]: 'environment',
  'diff.stat': 'diff',
  'diff.patch': 'diff',
};
const MEDIA_TYPES: Record<string, string> = {
  '.log': 'text/plain',
  '.txt': 'text/plain',
  '.stat': 'text/plain',
  '.json': 'application/json',
  '.patch': 'text/x-diff',
  '.diff': 'text/x-diff',
  '.md': 'text/markdown',
};

/**
 * Records every file under the run's artifacts directory, as it is now, with its checksum and
 * when retention may remove it. Upserts: indexing again (a retried activity) updates the rows.
 */
export async function indexArtifacts(pool: pg.Pool, r: ArtifactIndexRequest): Promise<IndexedArtifact[]> {
  const expiresAt = new Date(r.now.getTime() + r.retentionDays * DAY_MS);
  const artifacts: IndexedArtifact[] = [];
  for (const file of await listFiles(r.artifactsDir)) {
    const artifact = await describeArtifact(r.artifactsDir, file);
    await pool.query(
      `INSERT INTO artifacts (run_id, step, kind, path, media_type, size_bytes, sha256, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (run_id, path) DO UPDATE SET
         step = EXCLUDED.step, kind = EXCLUDED.kind, media_type = EXCLUDED.media_type,
         size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, expires_at = EXCLUDED.expires_at`,
      [
        r.runId,
        artifact.step,
        artifact.kind,
        artifact.path,
        artifact.mediaType,
        artifact.sizeBytes,
        artifact.sha256,
        expiresAt,
      ],
    );
    artifacts.push(artifact);
  }
  return artifacts;
}

/** One file of a run's artifacts (`file` relative to `artifactsDir`): its kind, type, size and checksum. */
export async function describeArtifact(artifactsDir: string, file: string): Promise<IndexedArtifact> {
  const absolute = path.join(artifactsDir, file);
  const name = path.basename(file);
  const step = STEP_FILE.exec(name)?.groups;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(absolute)) hash.update(chunk);
  return {
    path: file,
    step: step?.step ?? null,
    kind: (step?.kind as ArtifactKind | undefined) ?? RUN_FILES[name] ?? 'other',
    mediaType: MEDIA_TYPES[path.extname(name)] ?? 'application/octet-stream',
    sizeBytes: (await stat(absolute)).size,
    sha256: hash.digest('hex'),
  };
}
