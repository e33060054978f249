import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { agentCommand } from '../agents/agent-command.js';
import { type AgentKeys, agentEnvironment, describeKey } from '../agents/agent-environment.js';
import { classifyAgentFailure } from '../agents/agent-failure.js';
import { openQuestions } from '../agents/clarification-markers.js';
import { driverFor } from '../agents/drivers.js';
import { missingPhaseOutput, readText } from '../agents/phase-output.js';
import type { Config } from '../config.js';
import type { RunCheckpoints } from '../db/run-checkpoints.js';
import type { RunRecords } from '../db/run-records.js';
import { AGENT_PHASE } from '../git/step-scripts.js';
import type { Redactor } from '../redaction.js';
import type { AgentConfig, SpecKitPhase } from '../run/input.js';
import type { StepOutcome } from '../run/summary.js';
import { handToJobUser, runPaths } from '../workspace.js';
import { keepCheckpoint } from './checkpoints.js';
import { type RunStep, type StepIdentity, tail } from './container-step.js';
import { failure } from './failures.js';
import { StallWatchdog } from './stall-watchdog.js';

export interface AgentPhaseRequest extends StepIdentity {
  phase: SpecKitPhase;
  agent: AgentConfig;
  specifyText: string;
  /** Relative to the repository; known once `specify` has run. */
  featureDir?: string;
  /** timeouts.agentStallSeconds of the run; absent from runs started before the watchdog existed. */
  stallSeconds?: number;
}

export interface AgentPhaseResult {
  outcome: StepOutcome;
  featureDir?: string;
  /** The questions of the [NEEDS CLARIFICATION] markers left in spec.md. */
  clarifications: string[];
}

const OUTPUT_TAIL_BYTES = 1500;
const DEFAULT_STALL_SECONDS = 300;

export interface AgentPhaseDeps {
  config: Pick<Config, 'workspaceRoot' | 'jobUser' | 'jobImage' | 'agentEndpoint' | 'agentPassthrough'>;
  runStep: RunStep;
  records: Pick<RunRecords, 'step'>;
  /** Masks the agent's output that error messages quote. */
  redactor: Redactor;
  agentKeys: AgentKeys;
  /** Where the state after each phase is kept for another host (activities/checkpoints). */
  checkpoints: RunCheckpoints;
}

export function createAgentPhase(deps: AgentPhaseDeps) {
  return {
    /**
     * Runs one Spec Kit phase through the agent CLI in a fresh container and checks that it left
     * the phase's document: exit code 0 alone is no success (PhaseOutputMissing).
     */
    async runAgentPhase(r: AgentPhaseRequest): Promise<AgentPhaseResult> {
      const { repoDir, homeDir, runDir } = runPaths(deps.config.workspaceRoot, r.runId);
      const driver = driverFor(r.agent.backend);
      const command = agentCommand(
        r.agent,
        r.phase,
        r.phase === 'specify' ? r.specifyText : '',
        deps.config.agentEndpoint,
      );
      await writeHomeFiles(homeDir, command.files, deps.config.jobUser);
      // A retried specify starts over: the feature the failed attempt created holds only scaffolding.
      if (r.phase === 'specify' && r.attempt > 1) await discardFeature(repoDir);

      const stallSeconds = r.stallSeconds ?? DEFAULT_STALL_SECONDS;
      const { outcome, stderrTail, stdoutPath, startedAt } = await deps.runStep({
        ...r,
        step: r.phase,
        // Under a script that saves the phase's checkpoint once the agent succeeded.
        cmd: ['bash', '-c', AGENT_PHASE, driver.cli, ...command.argv],
        cwd: 'repo',
        env: {
          ...command.env,
          ...agentEnvironment(
            driver,
            deps.config.agentEndpoint,
            deps.agentKeys,
            deps.config.agentPassthrough,
          ),
          ...(r.featureDir ? { SPECIFY_FEATURE_DIRECTORY: path.join(repoDir, r.featureDir) } : {}),
        },
        watchdog: new StallWatchdog(stallSeconds * 1000, repoDir),
      });
      const output = async () => {
        const stdout = deps.redactor.redact(await tail(stdoutPath, OUTPUT_TAIL_BYTES));
        return [stdout, stderrTail].filter(Boolean).join('\n');
      };
      if (outcome.exitCode !== 0) {
        const said = await output();
        const type = classifyAgentFailure(outcome.exitCode, said);
        const message = {
          AgentNotInstalled:
            `agent CLI ${driver.cli} not found in job image ${deps.config.jobImage}: ` +
            'install it in images/job/Dockerfile or choose another agent (--agent, SPECKIT_AGENT)',
          AgentAuthFailed:
            `agent ${driver.backend} was refused by its endpoint in phase ${r.phase}: ${said}\n` +
            `Check the key it read, ${describeKey(driver, deps.config.agentEndpoint, deps.agentKeys)}, and SPECKIT_AGENT_BASE_URL (README: Agents).`,
          PhaseFailed: `phase ${r.phase} failed with exit code ${outcome.exitCode}: ${said}`,
        }[type];
        throw failure(type, message, outcome);
      }

      const featureDir = r.featureDir ?? (await currentFeatureDir(repoDir));
      const missing = await missingPhaseOutput({
        phase: r.phase,
        repoDir,
        featureDir,
        stdoutFile: stdoutPath,
        startedAt,
      });
      if (missing) {
        await deps.records.step({ runId: r.runId, step: r.phase, attempt: r.attempt, status: 'failed' });
        throw failure(
          'PhaseOutputMissing',
          `phase ${r.phase} exited 0 without leaving ${missing} (attempt ${r.attempt}).\n` +
            `End of the agent's output:\n${(await output()) || '(none)'}`,
          outcome,
        );
      }
      await keepCheckpoint(deps.checkpoints, { runId: r.runId, runDir, step: r.phase });
      const clarifications = featureDir ? await specQuestions(path.join(repoDir, featureDir, 'spec.md')) : [];
      return { outcome, featureDir, clarifications };
    },
  };
}

/** Config files the agent reads from its HOME: no secret in any of them (keys are named, not written). */
async function writeHomeFiles(homeDir: string, files: { path: string; content: string }[], jobUser: string) {
  for (const file of files) {
    const target = path.join(homeDir, file.path);
    if (!target.startsWith(`${homeDir}${path.sep}`)) throw new Error(`agent config ${file.path} leaves HOME`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content, { mode: 0o644 });
    for (let p = target; p.startsWith(`${homeDir}${path.sep}`); p = path.dirname(p))
      await handToJobUser(p, jobUser);
  }
}

/** Spec Kit's create-new-feature script records the feature it created in .specify/feature.json. */
async function currentFeatureDir(repoDir: string): Promise<string | undefined> {
  const text = await readText(path.join(repoDir, '.specify', 'feature.json'));
  const featureDir = text && (JSON.parse(text) as { feature_directory?: string }).feature_directory;
  if (!featureDir) return undefined;
  return path.isAbsolute(featureDir) ? path.relative(repoDir, featureDir) : featureDir;
}

async function discardFeature(repoDir: string): Promise<void> {
  const featureDir = await currentFeatureDir(repoDir);
  if (featureDir && !featureDir.startsWith('..'))
    await rm(path.join(repoDir, featureDir), { recursive: true, force: true });
  await rm(path.join(repoDir, '.specify', 'feature.json'), { force: true });
}

async function specQuestions(specFile: string): Promise<string[]> {
  return openQuestions((await readText(specFile)) ?? '');
}
