// What the retention sweep reads and writes. A run is only ever a candidate once it has finished
// (finished_at is set by the run's own cleanup, its last step), and only a run whose workspace
// lies under the given runs directory, so a worker never sweeps another host's workspaces.
import type pg from 'pg';

export interface SweepScope {
  /** `<workspace root>/runs`, without a trailing separator. */
  runsRoot: string;
  /** Runs that finished before this are expired. */
  cutoff: Date;
}

/** Finished runs past the cutoff whose workspace has not been removed yet, oldest first. */
export async function expiredRuns(pool: pg.Pool, s: SweepScope, limit: number): Promise<string[]> {
  const { rows } = await pool.query<{ run_id: string }>(
    `SELECT run_id FROM runs
     WHERE finished_at < $2 AND expired_at IS NULL AND starts_with(artifacts_dir, $1 || '/')
     ORDER BY finished_at LIMIT $3`,
    [s.runsRoot, s.cutoff, limit],
  );
  return rows.map((r) => r.run_id);
}

/** Runs started before the cutoff that are still going: old enough, but never touched. */
export async function countActiveRuns(pool: pg.Pool, s: SweepScope): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    `SELECT count(*) FROM runs
     WHERE finished_at IS NULL AND created_at < $2 AND starts_with(artifacts_dir, $1 || '/')`,
    [s.runsRoot, s.cutoff],
  );
  return Number(rows[0]?.count ?? 0);
}

/** Marks a run whose workspace is gone, and its artifacts; returns how many artifacts expired. */
export async function markRunExpired(pool: pg.Pool, runId: string): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    `WITH expired AS (
       UPDATE artifacts SET expired_at = now() WHERE run_id = $1 AND expired_at IS NULL RETURNING 1
     ), run AS (
       UPDATE runs SET expired_at = now() WHERE run_id = $1
     )
     SELECT count(*) FROM expired`,
    [runId],
  );
  return Number(rows[0]?.count ?? 0);
}

/** When each of these runs finished, for those that have. */
export async function finishedAt(pool: pg.Pool, runIds: string[]): Promise<Map<string, Date>> {
  const { rows } = await pool.query<{ run_id: string; finished_at: Date }>(
    'SELECT run_id, finished_at FROM runs WHERE run_id = ANY($1) AND finished_at IS NOT NULL',
    [runIds],
  );
  return new Map(rows.map((r) => [r.run_id, r.finished_at]));
}
