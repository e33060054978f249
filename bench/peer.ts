// Spec Kit's own engine doing the same work in-process on the host: the worker's clone and init
// scripts run by bash, `specify workflow run` (specify-cli from the cached wheels, in a venv) for
// specify → plan → tasks with the scripted agent, then the worker's commit and push scripts.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { currentFeature } from './floor.js';
import { BENCH_ASSETS, CACHE_DIR, SCRIPTED_AGENT, SPECIFY_VERSION } from './paths.js';
import { check } from './proc.js';
import type { SampleRepos } from './sample-repo.js';
import { FEATURE_TEXT, type SideRun } from './side.js';
import { BRANCH_PREFIX, commitMessage, GIT_AUTHOR, type StepScripts } from './step-scripts.js';

const VENV = path.join(CACHE_DIR, 'venvs', `specify-cli-${SPECIFY_VERSION}`);

/** specify-cli in a venv of its own, from the wheels setup downloaded for the job image (offline). */
export async function ensureSpecifyVenv(): Promise<string> {
  const bin = path.join(VENV, 'bin');
  if (existsSync(path.join(bin, 'specify'))) return bin;
  const wheels = path.join(CACHE_DIR, 'wheels', `specify-cli-${SPECIFY_VERSION}`);
  if (!existsSync(wheels)) throw new Error(`no specify-cli wheels in ${wheels}: run \`npm run setup\` first`);
  await check('python3', ['-m', 'venv', VENV]);
  await check(path.join(bin, 'pip'), [
    'install',
    '--quiet',
    '--no-index',
    '--find-links',
    wheels,
    `specify-cli==${SPECIFY_VERSION}`,
  ]);
  return bin;
}

export function peerSide(workRoot: string, repos: SampleRepos, scripts: StepScripts, venvBin: string) {
  return async (id: string): Promise<SideRun> => {
    const remote = await repos.fresh(`peer-${id}`);
    const start = performance.now();
    const runDir = path.join(workRoot, 'peer', id);
    const repoDir = path.join(runDir, 'repo');
    const artifacts = path.join(runDir, 'artifacts');
    await mkdir(artifacts, { recursive: true });
    await mkdir(path.join(runDir, 'home'), { recursive: true });
    const env = (name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      PATH: `${venvBin}:${process.env.PATH}`,
      HOME: path.join(runDir, 'home'),
      LANG: 'C.UTF-8',
      SPECKIT_RESULT_FILE: path.join(artifacts, `${name}.result.json`),
      SPECKIT_ARTIFACTS_DIR: artifacts,
      SPECKIT_CHECKPOINT_FILE: path.join(runDir, `${name}.checkpoint`),
      ...extra,
    });
    await check('bash', ['-c', scripts.CLONE], {
      cwd: runDir,
      env: env('clone', {
        SPECKIT_REPO: remote,
        SPECKIT_BASE_BRANCH: 'main',
        SPECKIT_BRANCH_PREFIX: BRANCH_PREFIX,
      }),
    });
    await check('bash', ['-c', scripts.INIT], {
      cwd: repoDir,
      env: env('init', { SPECKIT_INTEGRATION: 'codex' }),
    });
    await check(
      path.join(venvBin, 'specify'),
      ['workflow', 'run', path.join(BENCH_ASSETS, 'peer', 'workflow.yml'), '--input', `spec=${FEATURE_TEXT}`],
      {
        cwd: repoDir,
        env: env('workflow', {
          SPECKIT_INTEGRATION_CODEX_EXECUTABLE: path.join(BENCH_ASSETS, 'peer', 'codex-shim.sh'),
          BENCH_SCRIPTED_AGENT: SCRIPTED_AGENT,
        }),
      },
    );
    const featureDir = await currentFeature(repoDir);
    const branch = `${BRANCH_PREFIX}${path.basename(featureDir)}`;
    // The engine keeps its run state in the project (.specify/workflows/runs/): per-checkout state,
    // like the feature pointer the commit script already leaves out.
    const commit = `echo '.specify/workflows/runs/' >> .git/info/exclude\n${scripts.COMMIT}`;
    await check('bash', ['-c', commit], {
      cwd: repoDir,
      env: env('commit', {
        SPECKIT_BRANCH: branch,
        SPECKIT_COMMIT_MESSAGE: commitMessage(path.basename(featureDir), id),
        ...GIT_AUTHOR,
      }),
    });
    await check('bash', ['-c', scripts.PUSH], { cwd: repoDir, env: env('push', { SPECKIT_BRANCH: branch }) });
    const pushed = JSON.parse(await readFile(path.join(artifacts, 'push.result.json'), 'utf8')) as {
      branch: string;
    };
    return { ms: performance.now() - start, remote, branch: pushed.branch };
  };
}
