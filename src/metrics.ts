// Run and sweep metrics for StatsD (hot-shots), sent only when a StatsD address is configured.
// Nothing depends on them: an unreachable StatsD server costs a warning, never a failed run.
import { StatsD } from 'hot-shots';
import { z } from 'zod';
import type { Logger } from './logging.js';

export type Tags = Record<string, string>;

export type CounterName =
  | `runs.${'started' | 'succeeded' | 'failed' | 'no_changes' | 'rejected' | 'cancelled'}`
  | 'activity.retries'
  | `sweep.${'runs_deleted' | 'artifacts_expired' | 'containers_removed'}`;
export type TimingName = 'step.duration' | 'run.duration' | 'container.start_latency' | 'sweep.duration';
export type GaugeName = 'sweep.skipped_active';

export interface Metrics {
  /** Adds `by` (default 1) to a counter. */
  increment(name: CounterName, tags?: Tags, by?: number): void;
  timing(name: TimingName, ms: number, tags?: Tags): void;
  gauge(name: GaugeName, value: number, tags?: Tags): void;
  close(): Promise<void>;
}

export interface MetricsOptions {
  host?: string;
  port?: number;
  /** false turns metrics off even with an address. */
  enabled?: boolean;
  prefix?: string;
}

export const DEFAULT_METRICS_PREFIX = 'speckit.';

const noMetrics: Metrics = {
  increment() {},
  timing() {},
  gauge() {},
  async close() {},
};

/** StatsD metrics when host and port are given and not disabled; otherwise metrics that go nowhere. */
export function createMetrics(options: MetricsOptions, logger?: Logger): Metrics {
  const { host, port, enabled = true, prefix = DEFAULT_METRICS_PREFIX } = options;
  if (!enabled || !host || !port) return noMetrics;
  let warned = false;
  const client = new StatsD({
    host,
    port,
    prefix,
    // Without a handler hot-shots rethrows socket and DNS errors; one warning says what is wrong.
    errorHandler: (err) => {
      if (warned) return;
      warned = true;
      logger?.warn(
        { err },
        `metrics not delivered to StatsD at ${host}:${port}: check STATSD_HOST/STATSD_PORT`,
      );
    },
  });
  return {
    increment: (name, tags, by = 1) => client.increment(name, by, tags),
    timing: (name, ms, tags) => client.timing(name, ms, tags),
    gauge: (name, value, tags) => client.gauge(name, value, tags),
    close: () => new Promise((resolve) => client.close(() => resolve())),
  };
}

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
    message: 'must be true or false',
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const metricsEnv = z.object({
  SPEC_WORKFLOW_METRICS_ENABLED: flag.default(true),
  SPEC_WORKFLOW_METRICS_HOST: z.string().min(1).optional(),
  SPEC_WORKFLOW_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  STATSD_HOST: z.string().min(1).optional(),
  STATSD_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  SPEC_WORKFLOW_METRICS_PREFIX: z.string().default(DEFAULT_METRICS_PREFIX),
});

/**
 * Metrics settings from the environment: SPEC_WORKFLOW_METRICS_HOST/_PORT, else STATSD_HOST/_PORT;
 * SPEC_WORKFLOW_METRICS_ENABLED=false turns them off. Throws on a malformed value, naming it.
 */
export function metricsConfigFromEnv(env: NodeJS.ProcessEnv): MetricsOptions {
  const parsed = metricsEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid metrics configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    enabled: e.SPEC_WORKFLOW_METRICS_ENABLED,
    host: e.SPEC_WORKFLOW_METRICS_HOST ?? e.STATSD_HOST,
    port: e.SPEC_WORKFLOW_METRICS_PORT ?? e.STATSD_PORT,
    prefix: e.SPEC_WORKFLOW_METRICS_PREFIX,
  };
}
