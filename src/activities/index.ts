import { createAgentPhase } from './agent-phase.js';
import { createClarifications } from './clarifications.js';
import type { ActivityDeps } from './deps.js';
import { createGitSteps } from './git-steps.js';
import { createPreflight } from './preflight.js';
import { createPullRequests } from './pull-request.js';
import { createRetention } from './retention.js';
import { createRunLifecycle } from './run-lifecycle.js';

export type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPreflight(deps),
    ...createRunLifecycle(deps),
    ...createGitSteps(deps),
    ...createAgentPhase(deps),
    ...createClarifications(deps.config.workspaceRoot),
    ...createPullRequests(deps),
    ...createRetention(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
