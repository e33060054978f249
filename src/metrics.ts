// Run and sweep metrics for StatsD (hot-shots), sent only when a StatsD address is configured.
// Nothing depends on them: an unreachable StatsD server costs a warning, never a failed run.
import { StatsD } from 'hot-shots';
import type { Logger } from './logging.js';
import { DEFAULT_METRICS_PREFIX, type MetricsOptions } from './metrics-config.js';

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
