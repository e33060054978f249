// How one agent CLI is run unattended in a job container. Each backend has its driver in a file of
// its own (agents/<backend>.ts); agents/drivers.ts collects them.
import type { AgentBackend, AgentConfig, SpecKitPhase } from '../run/input.js';

/** Where the agent's model API is, from the worker's configuration (SPECKIT_AGENT_*). */
export interface AgentEndpoint {
  /** The API base URL as the agent's own SDK takes it; absent: the vendor's default. */
  baseUrl?: string;
  /** Extra query parameters on every request (Azure-style gateways: api-version). */
  queryParams?: Record<string, string>;
  /** The header that carries the key, when the gateway wants another than the vendor's. */
  keyHeader?: string;
}

export interface AgentInvocationRequest {
  phase: SpecKitPhase;
  /** The phase's arguments (the feature description for specify), or empty. */
  args: string;
  model?: string;
  endpoint: AgentEndpoint;
  /** The offline scripted agent's test options; real agents have none. */
  options?: AgentConfig['options'];
}

export interface AgentInvocation {
  /** The CLI's argv, with every flag unattended use needs; extra args are appended by the caller. */
  argv: string[];
  /** Non-secret environment: telemetry off, base-URL variables, ... Never a key value. */
  env: Record<string, string>;
  /** Config files written into the run's HOME before the phase (paths relative to HOME). Never a key value. */
  files: { path: string; content: string }[];
}

/**
 * The prompt that runs a Spec Kit phase: the skill or command `specify init` installed for it, as
 * the CLI invokes one (`/speckit-plan`, `$speckit-plan`, `/speckit.plan`), then the phase's arguments.
 */
export function phasePrompt(name: string, args: string): string {
  return args ? `${name} ${args}` : name;
}

export interface AgentKeySpec {
  from: string[];
  to: string;
  optional?: boolean;
}

export interface AgentDriver {
  backend: AgentBackend;
  /** The executable name in the job image. */
  cli: string;
  /**
   * The API key: taken from the first of `from` the worker has, handed to the container as `to`
   * (the variable the CLI actually reads). Absent for agents that need none.
   */
  key?: AgentKeySpec;
  /** The key when a base URL is configured, where the CLI reads a gateway's key elsewhere. */
  gatewayKey?: AgentKeySpec;
  /** Why this driver cannot use the endpoint settings (with this model), or undefined when it can. */
  unsupportedEndpoint?(endpoint: AgentEndpoint, model?: string): string | undefined;
  /** The URL preflight probes (any HTTP answer counts) when no base URL is configured. */
  defaultBaseUrl?: string;
  invocation(r: AgentInvocationRequest): AgentInvocation;
}
