// Read-only queries behind the CLI's status, list, logs and artifacts commands.
import type pg from 'pg';
import type { ConstitutionState, RunStatus } from '../run/status.js';

export interface RunRow {
  runId: string;
  workflowId: string;
  repo: string;
  baseBranch: string;
  featureBranch: string | null;
  status: RunStatus;
  agentBackend: string;
  phases: string[];
  publishMode: string;
  commit: string | null;
  artifactsDir: string;
  error: string | null;
  reason: string | null;
  constitution: ConstitutionState | null;
  workerHost: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** When retention removed the run's workspace. */
  expiredAt: Date | null;
}

export interface StepRow {
  step: string;
  attempt: number;
  status: string;
  exitCode: number | null;
  containerId: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
}

export interface ArtifactRow {
  path: string;
  step: string | null;
  kind: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  expiresAt: Date;
  expiredAt: Date | null;
}

export interface RunFilter {
  repo?: string;
  status?: RunStatus;
  limit: number;
}

const RUN_COLUMNS = `run_id AS "runId", workflow_id AS "workflowId", repo, base_branch AS "baseBranch",
  feature_branch AS "featureBranch", status, agent_backend AS "agentBackend", phases, publish_mode AS "publishMode",
  commit_sha AS "commit", artifacts_dir AS "artifactsDir", error, reason, constitution, worker_host AS "workerHost",
  created_at AS "createdAt", finished_at AS "finishedAt", expired_at AS "expiredAt"`;

export async function findRun(pool: pg.Pool, runId: string): Promise<RunRow | undefined> {
  const { rows } = await pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = $1`, [runId]);
  return rows[0];
}

/** The most recent runs first. */
export async function listRuns(pool: pg.Pool, f: RunFilter): Promise<RunRow[]> {
  const { rows } = await pool.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM runs
     WHERE ($1::text IS NULL OR repo = $1) AND ($2::text IS NULL OR status = $2)
     ORDER BY created_at DESC LIMIT $3`,
    [f.repo ?? null, f.status ?? null, f.limit],
  );
  return rows;
}

/** Every attempt of every step, in the order they started. */
export async function stepStates(pool: pg.Pool, runId: string): Promise<StepRow[]> {
  const { rows } = await pool.query<StepRow>(
    `SELECT step, attempt, status, exit_code AS "exitCode", container_id AS "containerId",
            started_at AS "startedAt", finished_at AS "finishedAt", duration_ms AS "durationMs"
     FROM step_states WHERE run_id = $1 ORDER BY started_at, attempt`,
    [runId],
  );
  return rows;
}

export async function runArtifacts(pool: pg.Pool, runId: string): Promise<ArtifactRow[]> {
  const { rows } = await pool.query<ArtifactRow>(
    `SELECT path, step, kind, media_type AS "mediaType", size_bytes::float8 AS "sizeBytes", sha256,
            expires_at AS "expiresAt", expired_at AS "expiredAt"
     FROM artifacts WHERE run_id = $1 ORDER BY path`,
    [runId],
  );
  return rows;
}
