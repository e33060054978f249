import type pg from 'pg';

/** The repository's state after a run's last completed step, kept where every worker host reaches it. */
export interface Checkpoint {
  step: string;
  /** The commit the run cloned. */
  baseCommit: string;
  /** `refs/speckit/checkpoint` and the commits it needs beyond the base; absent: nothing changed yet. */
  bundle?: Buffer;
  /** The feature branch, once the commit step made it (the bundle's commit is then its tip). */
  branch?: string;
  /** Files the worker wrote itself after the bundle was taken, by path relative to the repository. */
  files: Record<string, string>;
}

/** One checkpoint per unfinished run, replaced after each step and dropped when the run finishes. */
export class RunCheckpoints {
  constructor(private readonly pool: pg.Pool) {}

  /** After the clone: the run starts over from the base commit. */
  async cloned(runId: string, baseCommit: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO run_checkpoints (run_id, step, base_commit) VALUES ($1, 'clone', $2)
       ON CONFLICT (run_id) DO UPDATE SET step = 'clone', base_commit = $2, bundle = NULL, branch = NULL,
         files = '{}', saved_at = now()`,
      [runId, baseCommit],
    );
  }

  /** After a step that changed the repository: its state as a bundle replaces what came before. */
  async saved(runId: string, step: string, bundle: Buffer | undefined, branch?: string): Promise<void> {
    await this.pool.query(
      `UPDATE run_checkpoints SET step = $2, bundle = $3, branch = $4, files = '{}', saved_at = now()
       WHERE run_id = $1`,
      [runId, step, bundle ?? null, branch ?? null],
    );
  }

  /** A file the worker wrote into the repository (clarification answers), on top of the bundle. */
  async fileWritten(runId: string, file: string, content: string): Promise<void> {
    await this.pool.query(
      `UPDATE run_checkpoints SET files = files || jsonb_build_object($2::text, $3::text), saved_at = now()
       WHERE run_id = $1`,
      [runId, file, content],
    );
  }

  async latest(runId: string): Promise<Checkpoint | undefined> {
    const { rows } = await this.pool.query(
      'SELECT step, base_commit, bundle, branch, files FROM run_checkpoints WHERE run_id = $1',
      [runId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      step: row.step,
      baseCommit: row.base_commit,
      bundle: row.bundle ?? undefined,
      branch: row.branch ?? undefined,
      files: row.files,
    };
  }

  async drop(runId: string): Promise<void> {
    await this.pool.query('DELETE FROM run_checkpoints WHERE run_id = $1', [runId]);
  }
}
