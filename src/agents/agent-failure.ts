// What an agent CLI's exit tells the operator to do. Pure, so every case is unit-tested.
export type AgentFailureType = 'AgentNotInstalled' | 'AgentAuthFailed' | 'PhaseFailed';

const COMMAND_NOT_FOUND = 127;
const AUTHENTICATION_FAILED =
  /\b401\b|unauthori[sz]ed|invalid (api )?key|incorrect api key|authentication (failed|error)|not logged in/i;

export function classifyAgentFailure(exitCode: number, stderrTail: string): AgentFailureType {
  if (exitCode === COMMAND_NOT_FOUND) return 'AgentNotInstalled';
  if (AUTHENTICATION_FAILED.test(stderrTail)) return 'AgentAuthFailed';
  return 'PhaseFailed';
}
