// The metrics settings, read with the rest of the configuration (config.ts). Apart from the StatsD
// client (metrics.ts), so reading them does not load it: the CLI reads the configuration too.
import * as z from 'zod/mini';
import './zod-english.js';

export interface MetricsOptions {
  host?: string;
  port?: number;
  /** false turns metrics off even with an address. */
  enabled?: boolean;
  prefix?: string;
}

export const DEFAULT_METRICS_PREFIX = 'speckit.';

const flag = z.pipe(
  z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' }),
  z.transform((v) => ['true', '1', 'yes', 'on'].includes(v)),
);
const port = () => z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(65_535)));

const metricsEnv = z.object({
  SPEC_WORKFLOW_METRICS_ENABLED: z._default(flag, true),
  SPEC_WORKFLOW_METRICS_HOST: z.optional(z.string().check(z.minLength(1))),
  SPEC_WORKFLOW_METRICS_PORT: port(),
  STATSD_HOST: z.optional(z.string().check(z.minLength(1))),
  STATSD_PORT: port(),
  SPEC_WORKFLOW_METRICS_PREFIX: z._default(z.string(), DEFAULT_METRICS_PREFIX),
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
