// The git steps exactly as the worker runs them: loaded from the build, so the floor and Spec Kit's
// side run the same bash whatever src/git/step-scripts.ts says today.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.js';

export interface StepScripts {
  CLONE: string;
  INIT: string;
  COMMIT: string;
  PUSH: string;
  AGENT_PHASE: string;
}

export async function loadStepScripts(): Promise<StepScripts> {
  return (await import(pathToFileURL(path.join(ROOT, 'dist', 'git', 'step-scripts.js')).href)) as StepScripts;
}

/** What the project's commit step uses (src/activities/git-steps.ts, src/config.ts defaults). */
export const BRANCH_PREFIX = process.env.SPECKIT_BRANCH_PREFIX ?? 'speckit/';
export const GIT_AUTHOR = {
  GIT_AUTHOR_NAME: 'Spec Kit Automation',
  GIT_AUTHOR_EMAIL: 'speckit-automation@localhost',
  GIT_COMMITTER_NAME: 'Spec Kit Automation',
  GIT_COMMITTER_EMAIL: 'speckit-automation@localhost',
};

export function commitMessage(feature: string, runId: string): string {
  return `speckit: ${feature} (run ${runId})\n\nSpec Kit phases: specify, plan, tasks\nAgent: scripted`;
}
