// Runs as the database and the workspace would hold them, made directly: for tests of what reads
// them (retention, the CLI) without waiting for real runs to get old.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { RunStatus } from '../../src/run/status.js';
import { type RunPaths, runPaths } from '../../src/workspace.js';

export interface RunRow {
  runId: string;
  status: RunStatus;
  repo?: string;
  createdAt?: Date;
  finishedAt?: Date;
  branch?: string;
  error?: string;
}

export const DAY_MS = 24 * 3600_000;

/** Inserts the run's row and creates its workspace, with `files` in its artifacts directory. */
export async function insertRun(
  db: pg.Pool,
  workspaceRoot: string,
  r: RunRow,
  files: Record<string, string> = {},
): Promise<RunPaths & { runId: string }> {
  const paths = runPaths(workspaceRoot, r.runId);
  await mkdir(paths.repoDir, { recursive: true });
  await writeFiles(paths.artifactsDir, files);
  await db.query(
    `INSERT INTO runs (run_id, workflow_id, repo, base_branch, feature_branch, status, agent_backend, phases,
                       publish_mode, artifacts_dir, error, created_at, finished_at)
     VALUES ($1, $1, $2, 'main', $3, $4, 'scripted', '{specify,plan,tasks}', 'branch', $5, $6, $7, $8)`,
    [
      r.runId,
      r.repo ?? '/srv/git/sample.git',
      r.branch ?? null,
      r.status,
      paths.artifactsDir,
      r.error ?? null,
      r.createdAt ?? r.finishedAt ?? new Date(),
      r.finishedAt ?? null,
    ],
  );
  return { runId: r.runId, ...paths };
}

/** Writes each file (a path relative to `dir`), creating the directories it needs. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
