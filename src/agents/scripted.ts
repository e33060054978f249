import type { AgentConfig } from '../run/input.js';
import type { AgentDriver } from './agent-driver.js';

type ScriptedOptions = NonNullable<AgentConfig['options']>;

/**
 * The variable that carries each test hook into the agent: ENV in
 * images/job/scripted-agent/scripted_agent/hooks.py, which test/unit/scripted-agent.test.ts
 * compares with this.
 */
export const SCRIPTED_HOOK_ENV: Record<keyof ScriptedOptions, string> = {
  delaySeconds: 'SCRIPTED_AGENT_DELAY_SECONDS',
  failPhase: 'SCRIPTED_AGENT_FAIL_PHASE',
  failExitCode: 'SCRIPTED_AGENT_FAIL_EXIT_CODE',
  clarifications: 'SCRIPTED_AGENT_CLARIFICATIONS',
  noop: 'SCRIPTED_AGENT_NOOP',
  echoEnv: 'SCRIPTED_AGENT_ECHO_ENV',
};

/**
 * The offline agent of the job image (images/job/scripted-agent): it runs Spec Kit's own scripts
 * and writes deterministic documents, for the demo and the fast tests. It calls no model, so it
 * ignores the endpoint settings and needs no key; it takes one like any agent when the worker has
 * it, so tests can follow a key's path. Its test hooks (`agent.options`) reach it only from a
 * worker started with SPECKIT_TEST_HOOKS=1: preflight refuses them otherwise (agents/test-hooks.ts).
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

function testHooks(options: ScriptedOptions = {}): Record<string, string> {
  const env: Record<string, string> = {};
  const set = (option: keyof ScriptedOptions, value: string) => {
    env[SCRIPTED_HOOK_ENV[option]] = value;
  };
  if (options.delaySeconds !== undefined) set('delaySeconds', String(options.delaySeconds));
  if (options.failPhase) set('failPhase', options.failPhase);
  if (options.failExitCode !== undefined) set('failExitCode', String(options.failExitCode));
  if (options.clarifications !== undefined) set('clarifications', String(options.clarifications));
  if (options.noop) set('noop', '1');
  if (options.echoEnv?.length) set('echoEnv', options.echoEnv.join(','));
  return env;
}
