// What an agent CLI's exit tells the operator to do. Pure, so every case is unit-tested.
export type AgentFailureType = 'AgentNotInstalled' | 'AgentAuthFailed' | 'PhaseFailed';

const COMMAND_NOT_FOUND = 127;
// Only what the endpoint itself said: HTTP 401 or 403, as each CLI reports it (Google answers a
// bad key with 400 "API key not valid").
const AUTHENTICATION_FAILED = /\b40[13]\b|unauthori[sz]ed|forbidden|authentication_error|API key not valid/i;

export function classifyAgentFailure(exitCode: number, stderrTail: string): AgentFailureType {
  if (exitCode === COMMAND_NOT_FOUND) return 'AgentNotInstalled';
  if (AUTHENTICATION_FAILED.test(stderrTail)) return 'AgentAuthFailed';
  return 'PhaseFailed';
}
