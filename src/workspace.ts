import { chown, mkdir } from 'node:fs/promises';
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

/** Creates the run's directories, handed to the job user; the repository is the clone's to make. */
export async function allocateRun(workspaceRoot: string, runId: string, jobUser: string): Promise<RunPaths> {
  const paths = runPaths(workspaceRoot, runId);
  for (const dir of [paths.runDir, paths.homeDir, paths.artifactsDir]) {
    await mkdir(dir, { recursive: true });
    await handToJobUser(dir, jobUser);
  }
  return paths;
}
