import { chown } from 'node:fs/promises';
import path from 'node:path';

/** The layout of one run on the workspace volume; job containers see it at the same paths. */
export interface RunPaths {
  runDir: string;
  repoDir: string;
  homeDir: string;
  artifactsDir: string;
}

export function runPaths(workspaceRoot: string, runId: string): RunPaths {
  const runDir = path.join(workspaceRoot, 'runs', runId);
  return {
    runDir,
    repoDir: path.join(runDir, 'repo'),
    homeDir: path.join(runDir, 'home'),
    artifactsDir: path.join(runDir, 'artifacts'),
  };
}

/** A root worker hands what it creates in a run to the job user (`uid:gid`), who works there. */
export async function handToJobUser(file: string, jobUser: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const [uid, gid] = jobUser.split(':').map(Number);
  await chown(file, uid as number, gid as number);
}
