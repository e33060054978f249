import type { AgentConfig } from '../run-input.js';
import type { AgentDriver } from './agent-driver.js';

/**
 * The offline agent of the job image (images/job/scripted-agent): it runs Spec Kit's own scripts
 * and writes deterministic documents, for the demo and the fast tests. It calls no model, so it
 * ignores the endpoint settings and needs no key; it takes one like any agent when the worker has
 * it, so tests can follow a key's path.
 */
export const scripted: AgentDriver = {
  backend: 'scripted',
  cli: 'scripted-agent',
  key: { from: ['SCRIPTED_AGENT_API_KEY'], to: 'SCRIPTED_AGENT_API_KEY', optional: true },
  invocation: ({ phase, args, options }) => ({
    argv: ['scripted-agent', phase, ...(args ? [args] : [])],
    env: testHooks(options),
    files: [],
  }),
};

function testHooks(options: AgentConfig['options'] = {}): Record<string, string> {
  const env: Record<string, string> = {};
  if (options.delaySeconds !== undefined) env.SCRIPTED_AGENT_DELAY_SECONDS = String(options.delaySeconds);
  if (options.failPhase) env.SCRIPTED_AGENT_FAIL_PHASE = options.failPhase;
  if (options.failExitCode !== undefined) env.SCRIPTED_AGENT_FAIL_EXIT_CODE = String(options.failExitCode);
  if (options.clarifications !== undefined)
    env.SCRIPTED_AGENT_CLARIFICATIONS = String(options.clarifications);
  if (options.noop) env.SCRIPTED_AGENT_NOOP = '1';
  if (options.echoEnv?.length) env.SCRIPTED_AGENT_ECHO_ENV = options.echoEnv.join(',');
  return env;
}
