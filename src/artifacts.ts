// The run-level files in `<run>/artifacts/`, next to the steps' logs. Every value is passed in:
// nothing here reads the environment, so no secret can slip into a file by accident.
import { lstat, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunSummary } from './run/summary.js';

/** commit-status.json: what the run published. */
export interface CommitStatus {
  branch: string | null;
  commit: string | null;
  pushed: boolean;
  pullRequestUrl: string | null;
}

/** environment.json: what the run ran with, to reproduce or explain it. */
export interface RunEnvironment {
  image: string;
  imageId: string | null;
  agent: { backend: string; model: string | null; version: string | null };
  specifyCliVersion: string | null;
  workerHost: string;
}

export const ARTIFACT_FILES = {
  summary: 'summary.json',
  commitStatus: 'commit-status.json',
  environment: 'environment.json',
} as const;

/** What a run's summary says it published. */
export function commitStatusOf(summary: RunSummary): CommitStatus {
  return {
    branch: summary.branch ?? null,
    commit: summary.commit ?? null,
    pushed: summary.steps.some((p) => p.name === 'push' && p.status === 'succeeded'),
    pullRequestUrl: summary.pullRequestUrl ?? null,
  };
}

export function writeSummary(artifactsDir: string, summary: RunSummary): Promise<void> {
  return writeJson(artifactsDir, ARTIFACT_FILES.summary, summary);
}

export function writeCommitStatus(artifactsDir: string, status: CommitStatus): Promise<void> {
  return writeJson(artifactsDir, ARTIFACT_FILES.commitStatus, status);
}

export function writeEnvironment(artifactsDir: string, environment: RunEnvironment): Promise<void> {
  return writeJson(artifactsDir, ARTIFACT_FILES.environment, environment);
}

/**
 * Regular files below `dir`, as paths relative to it, sorted. Symbolic links are left out: job
 * containers write here, and a link must not make the worker read a file elsewhere.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    if ((await lstat(path.join(dir, name))).isFile()) files.push(name);
  }
  return files;
}

/** Written whole or not at all: a reader (the indexer, the CLI) never sees half a file. */
async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  const file = path.join(dir, name);
  const partial = `${file}.partial`;
  await writeFile(partial, `${JSON.stringify(value, null, 2)}\n`);
  await rename(partial, file);
}
