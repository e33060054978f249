import type { AgentBackend, AgentConfig, SpecKitPhase } from '../run/input.js';
import type { AgentEndpoint, AgentInvocation } from './agent-driver.js';
import { driverFor } from './drivers.js';

/** The `specify init --integration` value that installs each backend's commands or skills. */
export const INTEGRATION: Record<AgentBackend, string> = {
  codex: 'codex',
  claude: 'claude',
  gemini: 'gemini',
  copilot: 'copilot',
  // The scripted agent drives the shared scripts and templates, which every integration installs.
  scripted: 'codex',
};

/**
 * How one Spec Kit phase runs: the backend's driver builds the CLI's unattended invocation (after
 * Spec Kit's own `build_exec_args`), then the run's extra arguments go last.
 */
export function agentCommand(
  agent: AgentConfig,
  phase: SpecKitPhase,
  args: string,
  endpoint: AgentEndpoint,
): AgentInvocation {
  const { model, options } = agent;
  const invocation = driverFor(agent.backend).invocation({ phase, args, model, endpoint, options });
  return { ...invocation, argv: [...invocation.argv, ...(agent.extraArgs ?? [])] };
}
