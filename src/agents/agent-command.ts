import type { AgentBackend, AgentConfig, SpecKitPhase } from '../run-input.js';

export interface AgentCommand {
  argv: string[];
  env: Record<string, string>;
}

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
 * The argv of one Spec Kit phase, following Spec Kit's own `build_exec_args` and
 * `build_command_invocation`: skills agents take `$speckit-<cmd>` or `/speckit-<cmd>`, markdown and
 * TOML agents `/speckit.<cmd>`.
 */
export function agentCommand(agent: AgentConfig, phase: SpecKitPhase, args: string): AgentCommand {
  const command = baseCommand(agent, phase, args);
  return { ...command, argv: [...command.argv, ...(agent.extraArgs ?? [])] };
}

function baseCommand(agent: AgentConfig, phase: SpecKitPhase, args: string): AgentCommand {
  const withArgs = (invocation: string) => (args ? `${invocation} ${args}` : invocation);
  const model = agent.model ? ['--model', agent.model] : [];
  switch (agent.backend) {
    case 'codex':
      return { argv: ['codex', 'exec', ...model, withArgs(`$speckit-${phase}`)], env: {} };
    case 'claude':
      return { argv: ['claude', '-p', withArgs(`/speckit-${phase}`), ...model], env: {} };
    case 'gemini':
      return { argv: ['gemini', '-p', withArgs(`/speckit.${phase}`), ...model], env: {} };
    case 'copilot':
      return { argv: ['copilot', '-p', withArgs(`/speckit-${phase}`), '--yolo', ...model], env: {} };
    case 'scripted':
      return { argv: ['scripted-agent', phase, ...(args ? [args] : [])], env: scriptedEnv(agent) };
  }
}

function scriptedEnv({ options = {} }: AgentConfig): Record<string, string> {
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
