import type { AgentInput } from '../run/input.js';

/** The worker setting that lets runs use the scripted agent's test hooks (`agent.options`). */
export const TEST_HOOKS_SETTING = 'SPECKIT_TEST_HOOKS';

/**
 * Why this worker refuses the run's agent options, or undefined when it takes them. They are test
 * hooks (a phase that fails, stalls or does nothing, variables printed into the logs), so only a
 * worker started with the setting, as the tests start theirs, lets a run's input reach them.
 */
export function refusedTestHooks(agent: AgentInput | undefined, allowed: boolean): string | undefined {
  const hooks = Object.entries(agent?.options ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
  if (allowed || hooks.length === 0) return undefined;
  return (
    `agent.options (${hooks.join(', ')}) are test hooks of the scripted agent and this worker does not take them: ` +
    `they are for tests and demos, allowed only on a worker started with ${TEST_HOOKS_SETTING}=1`
  );
}
