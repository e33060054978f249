import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { agentCommand } from '../agents/agent-command.js';
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
  featureDir: string;
}

const COMMAND_NOT_FOUND = 127;
const AUTHENTICATION_FAILED =
  /\b401\b|unauthori[sz]ed|invalid (api )?key|authentication (failed|error)|not logged in/i;

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
      if (outcome.exitCode === COMMAND_NOT_FOUND) {
        throw failure(
          'AgentNotInstalled',
          `agent CLI ${command.argv[0]} not found in job image ${deps.config.jobImage}: ` +
            'install it in images/job/Dockerfile or choose another agent (--agent, SPECKIT_AGENT)',
          outcome,
        );
      }
      if (outcome.exitCode !== 0) {
        throw failure(
          'PhaseFailed',
          `phase ${r.phase} failed with exit code ${outcome.exitCode}: ${stderrTail}`,
          outcome,
        );
      }
      return { outcome, featureDir: r.featureDir ?? (await currentFeatureDir(repoDir)) };
    },
  };
}

/** Spec Kit's create-new-feature script records the feature it created in .specify/feature.json. */
async function currentFeatureDir(repoDir: string): Promise<string> {
  const file = path.join(repoDir, '.specify', 'feature.json');
  const featureDir = await readFile(file, 'utf8').then(
    (text) => (JSON.parse(text) as { feature_directory?: string }).feature_directory,
    () => undefined,
  );
  if (!featureDir) {
    throw failure('PhaseFailed', `specify created no feature: ${file} is missing; see the specify logs`);
  }
  return path.isAbsolute(featureDir) ? path.relative(repoDir, featureDir) : featureDir;
}
