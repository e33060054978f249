import type { AgentConfig, AgentInput } from '../run/input.js';

/**
 * The agent a run uses: what its input names, completed by the worker's configuration. A run that
 * names no backend (or the worker's own) gets the worker's model unless it gives one, and the
 * worker's extra arguments before its own: they are flags for that CLI, so another backend gets none.
 */
export function resolveAgent(input: AgentInput | undefined, worker: AgentConfig): AgentConfig {
  const backend = input?.backend ?? worker.backend;
  const workers = backend === worker.backend;
  const extraArgs = [...((workers && worker.extraArgs) || []), ...(input?.extraArgs ?? [])];
  return {
    backend,
    model: input?.model ?? (workers ? worker.model : undefined),
    ...(extraArgs.length ? { extraArgs } : {}),
    ...(input?.options ? { options: input.options } : {}),
  };
}
