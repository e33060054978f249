import type pg from 'pg';
import type { ConstitutionState, RunStatus } from '../run/status.js';
import { type ArtifactIndexRequest, type IndexedArtifact, indexArtifacts } from './artifact-index.js';
import {
  countActiveRuns,
  expiredRuns,
  finishedAt,
  markRunExpired,
  type SweepScope,
} from './retention-queries.js';

export type StepRecordStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunStart {
  runId: string;
  repo: string;
  baseBranch: string;
  agentBackend: string;
  phases: string[];
  publishMode: string;
  artifactsDir: string;
  workerHost: string;
}

export interface RunFinish {
  runId: string;
  status: RunStatus;
  featureBranch?: string;
  commit?: string;
  error?: string;
  reason?: string;
  constitution?: ConstitutionState;
}

/** The statuses of an unfinished run that the workflow moves between. */
export type UnfinishedStatus = Extract<
  RunStatus,
  'in_progress' | 'awaiting_clarification' | 'awaiting_approval'
>;

export interface AgentConfigRecord {
  runId: string;
  backend: string;
  model?: string;
  version?: string;
  /** The rest of the agent's configuration (options, extra arguments), secrets masked. */
  options?: Record<string, unknown>;
}

export interface StepRecord {
  runId: string;
  step: string;
  attempt: number;
  status: StepRecordStatus;
  exitCode?: number;
  containerId?: string;
  stdoutPath?: string;
  stderrPath?: string;
  durationMs?: number;
}

/** The queryable record of runs. Every write is an upsert, so a retried activity writes it once. */
export class RunRecords {
  constructor(private readonly pool: pg.Pool) {}

  async runStarted(r: RunStart): Promise<void> {
    await this.pool.query(
      `INSERT INTO runs (run_id, workflow_id, repo, base_branch, status, agent_backend, phases, publish_mode,
                         artifacts_dir, worker_host)
       VALUES ($1, $1, $2, $3, 'in_progress', $4, $5, $6, $7, $8)
       ON CONFLICT (run_id) DO UPDATE SET status = 'in_progress', worker_host = EXCLUDED.worker_host
       WHERE runs.finished_at IS NULL`,
      [r.runId, r.repo, r.baseBranch, r.agentBackend, r.phases, r.publishMode, r.artifactsDir, r.workerHost],
    );
  }

  async runFinished(r: RunFinish): Promise<void> {
    await this.pool.query(
      `UPDATE runs SET status = $2, feature_branch = $3, commit_sha = $4, error = $5, reason = $6,
                       constitution = $7, finished_at = COALESCE(finished_at, now())
       WHERE run_id = $1`,
      [
        r.runId,
        r.status,
        r.featureBranch ?? null,
        r.commit ?? null,
        r.error ?? null,
        r.reason ?? null,
        r.constitution ?? null,
      ],
    );
  }

  /** The worker host holding the run's workspace: the first, or the one it moved to. */
  async runMoved(runId: string, workerHost: string, artifactsDir: string): Promise<void> {
    await this.pool.query('UPDATE runs SET worker_host = $2, artifacts_dir = $3 WHERE run_id = $1', [
      runId,
      workerHost,
      artifactsDir,
    ]);
  }

  /** A run starts or stops waiting for an operator; a finished run keeps its final status. */
  async runStatus(runId: string, status: UnfinishedStatus): Promise<void> {
    await this.pool.query('UPDATE runs SET status = $2 WHERE run_id = $1 AND finished_at IS NULL', [
      runId,
      status,
    ]);
  }

  async agentConfig(a: AgentConfigRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO agent_configs (run_id, backend, model, version, options) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (run_id) DO UPDATE SET backend = EXCLUDED.backend, model = EXCLUDED.model,
         version = COALESCE(EXCLUDED.version, agent_configs.version), options = EXCLUDED.options`,
      [a.runId, a.backend, a.model ?? null, a.version ?? null, a.options ?? {}],
    );
  }

  indexArtifacts(r: ArtifactIndexRequest): Promise<IndexedArtifact[]> {
    return indexArtifacts(this.pool, r);
  }

  async step(p: StepRecord): Promise<void> {
    const finished = p.status !== 'running';
    await this.pool.query(
      `INSERT INTO step_states (run_id, step, attempt, status, exit_code, container_id, stdout_path, stderr_path,
                                 duration_ms, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10 THEN now() END)
       ON CONFLICT (run_id, step, attempt) DO UPDATE SET
         status = EXCLUDED.status,
         exit_code = COALESCE(EXCLUDED.exit_code, step_states.exit_code),
         container_id = COALESCE(EXCLUDED.container_id, step_states.container_id),
         stdout_path = COALESCE(EXCLUDED.stdout_path, step_states.stdout_path),
         stderr_path = COALESCE(EXCLUDED.stderr_path, step_states.stderr_path),
         duration_ms = COALESCE(EXCLUDED.duration_ms, step_states.duration_ms),
         finished_at = COALESCE(EXCLUDED.finished_at, step_states.finished_at)`,
      [
        p.runId,
        p.step,
        p.attempt,
        p.status,
        p.exitCode ?? null,
        p.containerId ?? null,
        p.stdoutPath ?? null,
        p.stderrPath ?? null,
        p.durationMs ?? null,
        finished,
      ],
    );
  }

  /** Finished runs past the sweep's cutoff whose workspaces are still there, at most `limit`. */
  expiredRuns(scope: SweepScope, limit: number): Promise<string[]> {
    return expiredRuns(this.pool, scope, limit);
  }

  countActiveRuns(scope: SweepScope): Promise<number> {
    return countActiveRuns(this.pool, scope);
  }

  /** Marks a run's artifacts expired; returns how many were. */
  markRunExpired(runId: string): Promise<number> {
    return markRunExpired(this.pool, runId);
  }

  finishedAt(runIds: string[]): Promise<Map<string, Date>> {
    return finishedAt(this.pool, runIds);
  }
}
