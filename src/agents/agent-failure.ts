// What an agent CLI's exit tells the operator to do. Pure, so every case is unit-tested.
export type AgentFailureType = 'AgentNotInstalled' | 'AgentAuthFailed' | 'PhaseFailed';

const COMMAND_NOT_FOUND = 127;
// Only what the endpoint itself said, as each CLI reports it: HTTP 401 or 403 (codex, copilot),
// "Invalid API key" (claude, after a 401), and Google's 400 "API key not valid" (gemini).
const AUTHENTICATION_FAILED =
  /\b40[13]\b|unauthori[sz]ed|forbidden|authentication_error|invalid api key|API key not valid/i;

/** `output`: the end of the agent's stdout and stderr (CLIs report errors on either). */
export function classifyAgentFailure(exitCode: number, output: string): AgentFailureType {
  if (exitCode === COMMAND_NOT_FOUND) return 'AgentNotInstalled';
  if (AUTHENTICATION_FAILED.test(output)) return 'AgentAuthFailed';
  return 'PhaseFailed';
}
