// The floor: the run's seven steps as plain `docker run --rm` containers of the job image, one after
// the other, running what the worker's containers run (its step scripts, the phases under its
// checkpointing wrapper), with the options, mounts, user and environment the worker gives them
// (src/containers/job-runner.ts, src/activities/*) and nothing else: no Temporal, no database, no
// log streaming, no heartbeats.
import { chown, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { JOB_IMAGE } from './paths.js';
import { check } from './proc.js';
import type { SampleRepos } from './sample-repo.js';
import { FEATURE_TEXT, type SideRun } from './side.js';
import { BRANCH_PREFIX, commitMessage, GIT_AUTHOR, type StepScripts } from './step-scripts.js';

/** src/config.ts's defaults for a root worker. */
const JOB_USER = process.env.SPECKIT_JOB_USER ?? '1000:1000';
const LIMITS = [
  `--memory=${process.env.SPECKIT_JOB_MEMORY_MB ?? '2048'}m`,
  `--cpus=${process.env.SPECKIT_JOB_CPUS ?? '1'}`,
  `--pids-limit=${process.env.SPECKIT_JOB_PIDS_LIMIT ?? '512'}`,
];

export function floorSide(workRoot: string, repos: SampleRepos, scripts: StepScripts) {
  return async (id: string): Promise<SideRun> => {
    const remote = await repos.fresh(`floor-${id}`);
    const start = performance.now();
    const runDir = path.join(workRoot, 'floor', id);
    const repoDir = path.join(runDir, 'repo');
    const artifacts = path.join(runDir, 'artifacts');
    for (const dir of [runDir, path.join(runDir, 'home'), artifacts]) {
      await mkdir(dir, { recursive: true });
      if (process.getuid?.() === 0) {
        const [uid, gid] = JOB_USER.split(':').map(Number) as [number, number];
        await chown(dir, uid, gid);
      }
    }
    const step = (
      name: string,
      cwd: string,
      cmd: string[],
      env: Record<string, string>,
      binds: string[] = [],
    ) =>
      check('docker', [
        'run',
        '--rm',
        '--init',
        `--user=${JOB_USER}`,
        '--cap-drop=ALL',
        '--security-opt=no-new-privileges',
        ...LIMITS,
        `--network=${process.env.SPECKIT_JOB_NETWORK ?? 'bridge'}`,
        `--workdir=${cwd}`,
        ...[`${runDir}:${runDir}`, ...binds].flatMap((b) => ['-v', b]),
        ...Object.entries({
          HOME: path.join(runDir, 'home'),
          SPECKIT_RESULT_FILE: path.join(artifacts, `${name}.result.json`),
          SPECKIT_ARTIFACTS_DIR: artifacts,
          SPECKIT_CHECKPOINT_FILE: path.join(runDir, `${name}.checkpoint`),
          ...env,
        }).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
        JOB_IMAGE,
        ...cmd,
      ]);
    const remoteBind = [`${remote}:${remote}`];
    await step(
      'clone',
      runDir,
      ['bash', '-c', scripts.CLONE],
      { SPECKIT_REPO: remote, SPECKIT_BASE_BRANCH: 'main', SPECKIT_BRANCH_PREFIX: BRANCH_PREFIX },
      remoteBind,
    );
    await step('init', repoDir, ['bash', '-c', scripts.INIT], { SPECKIT_INTEGRATION: 'codex' });
    const agent = (...args: string[]) => [
      'bash',
      '-c',
      scripts.AGENT_PHASE,
      'scripted-agent',
      'scripted-agent',
      ...args,
    ];
    await step('specify', repoDir, agent('specify', FEATURE_TEXT), {});
    const featureDir = await currentFeature(repoDir);
    const feature = { SPECIFY_FEATURE_DIRECTORY: path.join(repoDir, featureDir) };
    await step('plan', repoDir, agent('plan'), feature);
    await step('tasks', repoDir, agent('tasks'), feature);
    const branch = `${BRANCH_PREFIX}${path.basename(featureDir)}`;
    await step('commit', repoDir, ['bash', '-c', scripts.COMMIT], {
      SPECKIT_BRANCH: branch,
      SPECKIT_COMMIT_MESSAGE: commitMessage(path.basename(featureDir), id),
      ...GIT_AUTHOR,
    });
    await step('push', repoDir, ['bash', '-c', scripts.PUSH], { SPECKIT_BRANCH: branch }, remoteBind);
    const pushed = JSON.parse(await readFile(path.join(artifacts, 'push.result.json'), 'utf8')) as {
      branch: string;
    };
    return { ms: performance.now() - start, remote, branch: pushed.branch };
  };
}

/** Spec Kit's pointer to the feature the specify phase created (as the worker reads it). */
export async function currentFeature(repoDir: string): Promise<string> {
  const json = JSON.parse(await readFile(path.join(repoDir, '.specify', 'feature.json'), 'utf8'));
  return path.isAbsolute(json.feature_directory)
    ? path.relative(repoDir, json.feature_directory)
    : json.feature_directory;
}
