import type { AgentBackend } from '../run/input.js';
import type { AgentDriver } from './agent-driver.js';
import { claude } from './claude.js';
import { codex } from './codex.js';
import { copilot } from './copilot.js';
import { gemini } from './gemini.js';
import { scripted } from './scripted.js';

const DRIVERS: Record<AgentBackend, AgentDriver> = { codex, claude, gemini, copilot, scripted };

export function driverFor(backend: AgentBackend): AgentDriver {
  return DRIVERS[backend];
}
