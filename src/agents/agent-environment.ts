// What an agent container gets from the worker: its key, under the variable the CLI reads, and a
// short allow-list of non-secret network settings. Both are read from the worker's environment
// once, at its start (secrets.ts, config.ts); never written to disk (config files in the run's HOME
// only name the key's variable).
import { AGENT_BACKENDS } from '../run/input.js';
import type { AgentDriver, AgentEndpoint, AgentKeySpec } from './agent-driver.js';
import { driverFor } from './drivers.js';

/** Proxies and trust stores a gateway deployment may need; nothing else reaches an agent. */
const PASSTHROUGH_VARIABLES = [
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'https_proxy',
  'http_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'REQUESTS_CA_BUNDLE',
] as const;

/** Every worker variable an agent's key can come from. */
export const AGENT_KEY_VARIABLES = [
  ...new Set(
    AGENT_BACKENDS.map(driverFor).flatMap((d) => [...(d.key?.from ?? []), ...(d.gatewayKey?.from ?? [])]),
  ),
];

/** The worker's agent keys, by the variable that holds each (WorkerSecrets.agentKeys). */
export type AgentKeys = Record<string, string>;

export interface AgentKey {
  /** The worker's variable it came from. */
  source: string;
  /** The variable the agent CLI reads. */
  target: string;
  value: string;
}

/** The passthrough variables set in `env`. */
export function passthroughFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    PASSTHROUGH_VARIABLES.filter((name) => env[name]).map((name) => [name, env[name] as string]),
  );
}

/** Which key the agent needs with these endpoint settings. */
export function keySpec(driver: AgentDriver, endpoint: AgentEndpoint): AgentKeySpec | undefined {
  return (endpoint.baseUrl && driver.gatewayKey) || driver.key;
}

export function agentKey(
  driver: AgentDriver,
  endpoint: AgentEndpoint,
  keys: AgentKeys,
): AgentKey | undefined {
  const spec = keySpec(driver, endpoint);
  const source = spec?.from.find((name) => keys[name]);
  if (!spec || !source) return undefined;
  return { source, target: spec.to, value: keys[source] as string };
}

/** The key (when the worker has one) and the passthrough variables the worker has. */
export function agentEnvironment(
  driver: AgentDriver,
  endpoint: AgentEndpoint,
  keys: AgentKeys,
  passthrough: Record<string, string>,
): Record<string, string> {
  const key = agentKey(driver, endpoint, keys);
  return { ...passthrough, ...(key ? { [key.target]: key.value } : {}) };
}

/** Says where the key comes from, for messages: "CODEX_API_KEY (from OPENAI_API_KEY)". */
export function describeKey(driver: AgentDriver, endpoint: AgentEndpoint, keys: AgentKeys): string {
  const spec = keySpec(driver, endpoint);
  const key = agentKey(driver, endpoint, keys);
  if (!spec) return 'no key';
  if (!key) return `${spec.from.join(' or ')} (not set)`;
  return key.source === key.target ? key.target : `${key.target} (from ${key.source} on the worker)`;
}
