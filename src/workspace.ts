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
