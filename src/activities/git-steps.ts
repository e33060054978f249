import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { INTEGRATION } from '../agents/agent-command.js';
import { CONSTITUTION_FILE, constitutionState } from '../agents/constitution.js';
import { readText } from '../agents/phase-output.js';
import { writeEnvironment } from '../artifacts.js';
import type { Config } from '../config.js';
import type { RunCheckpoints } from '../db/run-checkpoints.js';
import type { CloneCacheState } from '../git/clone-cache.js';
import { CLONE, COMMIT, INIT, PUSH } from '../git/step-scripts.js';
import type { Logger } from '../logging.js';
import type { Redactor } from '../redaction.js';
import type { AgentBackend, AgentConfig, SpecKitPhase } from '../run/input.js';
import type { ConstitutionState } from '../run/status.js';
import type { StepOutcome } from '../run/summary.js';
import { gitCredentialEnv } from '../secrets.js';
import { runPaths } from '../workspace.js';
import { keepCheckpoint } from './checkpoints.js';
import { cloneCacheMount } from './clone-cache-mount.js';
import type { RunStep, StepIdentity } from './container-step.js';
import { failure } from './failures.js';

const UNREACHABLE_REPOSITORY =
  /not found|does not appear to be a git repository|could not read Username|Authentication failed|Permission denied|access denied/i;
/** Written by the commit container straight into the artifacts (see COMMIT in git/step-scripts). */
const DIFF_ARTIFACTS = ['diff.stat', 'diff.patch'];
const REJECTED_PUSH = /\[rejected\]|non-fast-forward|fetch first|Updates were rejected|protected branch/i;

export interface CommitResult {
  outcome: StepOutcome;
  changed: boolean;
  branch: string;
  commit?: string;
  /** `git diff --stat` of the commit, at most DIFF_STAT_LINES lines (the whole in artifacts/diff.stat). */
  diffStat?: string;
}

/** The diff stat travels in the run's history and status: its file lines are cut, its total kept. */
const DIFF_STAT_LINES = 40;

export interface GitStepsDeps {
  config: Pick<
    Config,
    | 'workspaceRoot'
    | 'workspaceVolume'
    | 'cloneCache'
    | 'jobUser'
    | 'jobImage'
    | 'branchPrefix'
    | 'gitAuthor'
    | 'hostId'
  >;
  runStep: RunStep;
  /** For the clone cache's mount and the agent's version, a label of the job image. */
  docker: Docker;
  logger: Logger;
  /** Masks the diff artifacts the commit container writes itself. */
  redactor: Redactor;
  /** For clone and push; without one, only remotes that need none. */
  gitToken?: string;
  /** Where the state after clone, init and commit is kept for another host (activities/checkpoints). */
  checkpoints: RunCheckpoints;
}

/** A workspace another host had, recreated by the clone step (RESTORE_CHECKPOINT in git/step-scripts). */
export interface CloneRestore {
  /** The commit the run cloned first. */
  commit: string;
  /** The checkpoint's bundle, in the run directory. */
  bundleFile?: string;
  /** The feature branch the checkpoint's commit is the tip of, once the commit step ran. */
  branch?: string;
  /** The clone's container identity: `restore` at the n-th move. */
  attempt: number;
}

export function createGitSteps(deps: GitStepsDeps) {
  const { runStep } = deps;
  const bash = (script: string) => ['bash', '-c', script];

  return {
    /**
     * Clones the base branch; `cache` says whether it started from this host's mirror. With
     * `restore`, recreates another host's workspace instead, as the step `restore`.
     */
    async cloneRepo(
      s: StepIdentity & { repo: string; baseBranch: string; restore?: CloneRestore },
    ): Promise<{ outcome: StepOutcome; cache?: CloneCacheState }> {
      const binds = await localRemoteBinds(s.repo);
      const cache = await cloneCacheMount(deps, s.runId, s.repo);
      const { restore } = s;
      const { outcome, output, stderrTail } = await runStep<{ cache?: CloneCacheState; baseCommit: string }>({
        ...s,
        ...(restore ? { step: 'restore', attempt: restore.attempt } : { step: 'clone' }),
        cmd: bash(CLONE),
        cwd: 'run',
        env: {
          SPECKIT_REPO: s.repo,
          SPECKIT_BASE_BRANCH: s.baseBranch,
          SPECKIT_BRANCH_PREFIX: deps.config.branchPrefix,
          ...(restore && {
            SPECKIT_RESTORE_COMMIT: restore.commit,
            ...(restore.bundleFile && { SPECKIT_RESTORE_BUNDLE: restore.bundleFile }),
            ...(restore.branch && { SPECKIT_RESTORE_BRANCH: restore.branch }),
          }),
          ...cache.env,
          ...gitCredentialEnv(deps.gitToken),
        },
        binds: [...binds, ...cache.binds],
      });
      if (outcome.exitCode !== 0) {
        const message = `cannot clone ${s.repo} at branch ${s.baseBranch}: ${stderrTail}`;
        if (UNREACHABLE_REPOSITORY.test(stderrTail)) {
          throw failure(
            'RepositoryNotFound',
            `${message}\nCheck the repository URL, the base branch and the token.`,
            outcome,
          );
        }
        throw failure('StepFailed', message, outcome);
      }
      if (output?.cache === 'bypassed') {
        deps.logger.warn(
          { run_id: s.runId, repo: s.repo },
          'clone cache unusable: cloned from the remote (see clone.stderr.log)',
        );
      }
      if (!restore && output) await deps.checkpoints.cloned(s.runId, output.baseCommit);
      return { outcome, cache: output?.cache };
    },

    /** Installs Spec Kit into the repository and says whether its constitution is filled in. */
    async initSpecKit(
      s: StepIdentity & { agent: AgentConfig },
    ): Promise<{ outcome: StepOutcome; constitution: ConstitutionState }> {
      const { outcome, output, stderrTail, imageId } = await runStep<{ specifyVersion?: string }>({
        ...s,
        step: 'init',
        cmd: bash(INIT),
        cwd: 'repo',
        env: { SPECKIT_INTEGRATION: INTEGRATION[s.agent.backend] },
      });
      if (outcome.exitCode !== 0) {
        throw failure(
          'PhaseFailed',
          `specify init failed (exit ${outcome.exitCode}): ${stderrTail}`,
          outcome,
        );
      }
      await writeEnvironment(runPaths(deps.config.workspaceRoot, s.runId).artifactsDir, {
        image: deps.config.jobImage,
        imageId,
        agent: {
          backend: s.agent.backend,
          model: s.agent.model ?? null,
          version: await agentVersion(deps.docker, imageId, s.agent.backend),
        },
        specifyCliVersion: output?.specifyVersion ?? null,
        workerHost: deps.config.hostId,
      });
      const { repoDir, runDir } = runPaths(deps.config.workspaceRoot, s.runId);
      await keepCheckpoint(deps.checkpoints, { runId: s.runId, runDir, step: 'init' });
      return {
        outcome,
        constitution: constitutionState(await readText(path.join(repoDir, CONSTITUTION_FILE))),
      };
    },

    async commitChanges(
      s: StepIdentity & { featureDir?: string; phases: SpecKitPhase[]; agentBackend: AgentBackend },
    ): Promise<CommitResult> {
      // Spec Kit's convention: the branch is named after the feature; a run without one uses its id.
      const feature = s.featureDir ? path.basename(s.featureDir) : s.runId;
      const branch = `${deps.config.branchPrefix}${feature}`;
      const { name, email } = deps.config.gitAuthor;
      const { outcome, output, stderrTail } = await runStep<{ changed: boolean; commit?: string }>({
        ...s,
        step: 'commit',
        cmd: bash(COMMIT),
        cwd: 'repo',
        env: {
          SPECKIT_BRANCH: branch,
          SPECKIT_COMMIT_MESSAGE: commitMessage(feature, s.runId, s.phases, s.agentBackend),
          GIT_AUTHOR_NAME: name,
          GIT_AUTHOR_EMAIL: email,
          GIT_COMMITTER_NAME: name,
          GIT_COMMITTER_EMAIL: email,
        },
      });
      if (outcome.exitCode !== 0 || !output) {
        throw failure('StepFailed', `commit failed (exit ${outcome.exitCode}): ${stderrTail}`, outcome);
      }
      if (!output.changed) return { outcome, branch, changed: false };
      const { artifactsDir, runDir } = runPaths(deps.config.workspaceRoot, s.runId);
      await keepCheckpoint(deps.checkpoints, { runId: s.runId, runDir, step: 'commit', branch });
      for (const diff of DIFF_ARTIFACTS) await deps.redactor.redactFile(path.join(artifactsDir, diff));
      const diffStat = await readFile(path.join(artifactsDir, 'diff.stat'), 'utf8');
      return { outcome, branch, changed: true, commit: output.commit, diffStat: shortStat(diffStat) };
    },

    /** Pushes the branch, or the next free name when the remote has it already (git/step-scripts PUSH). */
    async pushBranch(
      s: StepIdentity & { repo: string; branch: string },
    ): Promise<{ outcome: StepOutcome; branch: string }> {
      const { outcome, output, stderrTail } = await runStep<{ branch: string }>({
        ...s,
        step: 'push',
        cmd: bash(PUSH),
        cwd: 'repo',
        env: { SPECKIT_BRANCH: s.branch, ...gitCredentialEnv(deps.gitToken) },
        binds: await localRemoteBinds(s.repo),
      });
      if (outcome.exitCode !== 0 || !output) {
        const message = `push of ${s.branch} to ${s.repo} failed: ${stderrTail}`;
        if (REJECTED_PUSH.test(stderrTail)) {
          throw failure(
            'PushRejected',
            `${message}\nThe remote refused the new branch (a protected name or a hook): check its rules.`,
            outcome,
          );
        }
        throw failure('StepFailed', message, outcome);
      }
      return { outcome, branch: output.branch };
    },
  };
}

/** The agent CLI's version, from the job image's speckit.versions label (scripts/build-job-image.sh). */
async function agentVersion(docker: Docker, imageId: string, backend: AgentBackend): Promise<string | null> {
  const image = await docker.getImage(imageId).inspect();
  const versions = JSON.parse(image.Config?.Labels?.['speckit.versions'] ?? '{}') as Record<string, string>;
  return versions[backend] ?? null;
}

function commitMessage(
  featureDir: string,
  runId: string,
  phases: SpecKitPhase[],
  agent: AgentBackend,
): string {
  return [
    `speckit: ${path.basename(featureDir)} (run ${runId})`,
    '',
    `Spec Kit phases: ${phases.join(', ')}`,
    `Agent: ${agent}`,
  ].join('\n');
}

/**
 * A remote on this host's file system is mounted into the container at its own path. Checked first:
 * Docker would otherwise create a missing bind source as an empty directory.
 */
async function localRemoteBinds(repo: string): Promise<string[]> {
  const local = repo.startsWith('/') ? repo : repo.startsWith('file://') ? fileURLToPath(repo) : undefined;
  if (!local) return [];
  const exists = await stat(local).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) {
    throw failure('RepositoryNotFound', `repository ${repo} not found on the worker host: check the path`);
  }
  return [`${local}:${local}`];
}

function shortStat(stat: string): string {
  const lines = stat.trimEnd().split('\n');
  if (lines.length <= DIFF_STAT_LINES) return lines.join('\n');
  const total = lines.at(-1) ?? '';
  const files = lines.slice(0, DIFF_STAT_LINES - 2);
  return [...files, ` … ${lines.length - 1 - files.length} more files (artifacts/diff.stat)`, total].join(
    '\n',
  );
}
