import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { agentCommand } from '../agents/agent-command.js';
import { classifyAgentFailure } from '../agents/agent-failure.js';
import type { AgentConfig, SpecKitPhase } from '../run-input.js';
import type { StepOutcome } from '../run-summary.js';
import { agentKeyEnv } from '../secrets.js';
import { runPaths } from '../workspace.js';
import { runContainerStep, type StepIdentity } from './container-step.js';
import type { ActivityDeps } from './deps.js';
import { failure } from './failures.js';

export interface AgentPhaseRequest extends StepIdentity {
  phase: SpecKitPhase;
  agent: AgentConfig;
  specifyText: string;
  /** Relative to the repository; known once `specify` has run. */
  featureDir?: string;
}

export interface AgentPhaseResult {
  outcome: StepOutcome;
  /** Absent when the agent created no feature (it found nothing to do). */
  featureDir?: string;
  /** The questions of the [NEEDS CLARIFICATION] markers left in spec.md. */
  clarifications: string[];
}

export function createAgentPhase(deps: ActivityDeps) {
  return {
    async runAgentPhase(r: AgentPhaseRequest): Promise<AgentPhaseResult> {
      const { repoDir } = runPaths(deps.config.workspaceRoot, r.runId);
      const command = agentCommand(r.agent, r.phase, r.phase === 'specify' ? r.specifyText : '');
      const { outcome, stderrTail } = await runContainerStep(deps, {
        ...r,
        step: r.phase,
        cmd: command.argv,
        cwd: 'repo',
        env: {
          ...agentKeyEnv(r.agent.backend),
          ...command.env,
          ...(r.featureDir ? { SPECIFY_FEATURE_DIRECTORY: path.join(repoDir, r.featureDir) } : {}),
        },
      });
      if (outcome.exitCode !== 0) {
        const type = classifyAgentFailure(outcome.exitCode, stderrTail);
        throw failure(
          type,
          agentFailureMessage(
            type,
            outcome.exitCode,
            r,
            command.argv[0] as string,
            deps.config.jobImage,
            stderrTail,
          ),
          {
            ...outcome,
          },
        );
      }
      const featureDir = r.featureDir ?? (await currentFeatureDir(repoDir));
      const clarifications = featureDir ? await openQuestions(path.join(repoDir, featureDir, 'spec.md')) : [];
      return { outcome, featureDir, clarifications };
    },
  };
}

function agentFailureMessage(
  type: ReturnType<typeof classifyAgentFailure>,
  exitCode: number,
  r: AgentPhaseRequest,
  cli: string,
  image: string,
  stderrTail: string,
): string {
  switch (type) {
    case 'AgentNotInstalled':
      return (
        `agent CLI ${cli} not found in job image ${image}: ` +
        'install it in images/job/Dockerfile or choose another agent (--agent, SPECKIT_AGENT)'
      );
    case 'AgentAuthFailed':
      return (
        `agent ${r.agent.backend} could not authenticate in phase ${r.phase}: ${stderrTail}\n` +
        "Set the agent's API key on the worker (README: Agents)."
      );
    case 'PhaseFailed':
      return `phase ${r.phase} failed with exit code ${exitCode}: ${stderrTail}`;
  }
}

/** Spec Kit's create-new-feature script records the feature it created in .specify/feature.json. */
async function currentFeatureDir(repoDir: string): Promise<string | undefined> {
  const featureDir = await readIfExists(path.join(repoDir, '.specify', 'feature.json')).then(
    (text) => text && (JSON.parse(text) as { feature_directory?: string }).feature_directory,
  );
  if (!featureDir) return undefined;
  return path.isAbsolute(featureDir) ? path.relative(repoDir, featureDir) : featureDir;
}

const CLARIFICATION_MARKER = /\[NEEDS CLARIFICATION:?\s*([^\]]*)\]/g;

async function openQuestions(specFile: string): Promise<string[]> {
  const spec = (await readIfExists(specFile)) ?? '';
  return [...spec.matchAll(CLARIFICATION_MARKER)].map((m) => m[1]?.trim() || 'unspecified question');
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
