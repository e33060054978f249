import { createAgentPhase } from './agent-phase.js';
import type { ActivityDeps } from './deps.js';
import { createGitSteps } from './git-steps.js';
import { createRunLifecycle } from './run-lifecycle.js';

export type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRunLifecycle(deps),
    ...createGitSteps(deps),
    ...createAgentPhase(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
