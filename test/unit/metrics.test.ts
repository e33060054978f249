import dgram from 'node:dgram';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activityMetrics } from '../../src/activity-metrics.js';
import { createLogger } from '../../src/logging.js';
import { createMetrics } from '../../src/metrics.js';
import { metricsConfigFromEnv } from '../../src/metrics-config.js';

// A real StatsD-speaking UDP listener on 127.0.0.1: what arrives is what a StatsD server would get.
let listener: dgram.Socket;
let port: number;
let received: string[];

beforeEach(async () => {
  received = [];
  listener = dgram.createSocket('udp4');
  listener.on('message', (msg) => received.push(...msg.toString().split('\n')));
  listener.bind(0, '127.0.0.1');
  await once(listener, 'listening');
  port = listener.address().port;
});
afterEach(() => listener.close());

async function until(count: number): Promise<void> {
  for (let i = 0; i < 100 && received.length < count; i++) await sleep(10);
}

describe('createMetrics', () => {
  it('sends counters, timings and gauges with the prefix and tags', async () => {
    const metrics = createMetrics({ host: '127.0.0.1', port });
    metrics.increment('runs.started', { repo: 'acme/app' });
    metrics.increment('runs.no_changes');
    metrics.increment('sweep.runs_deleted', undefined, 3);
    metrics.timing('step.duration', 1234, { step: 'specify' });
    metrics.timing('container.start_latency', 87);
    metrics.gauge('sweep.skipped_active', 2);
    await metrics.close();
    await until(6);
    expect(received.sort()).toEqual(
      [
        'speckit.runs.started:1|c|#repo:acme/app',
        'speckit.runs.no_changes:1|c',
        'speckit.sweep.runs_deleted:3|c',
        'speckit.step.duration:1234|ms|#step:specify',
        'speckit.container.start_latency:87|ms',
        'speckit.sweep.skipped_active:2|g',
      ].sort(),
    );
  });

  it('takes another prefix', async () => {
    const metrics = createMetrics({ host: '127.0.0.1', port, prefix: 'ci.' });
    metrics.increment('runs.failed');
    await metrics.close();
    await until(1);
    expect(received).toEqual(['ci.runs.failed:1|c']);
  });

  it('sends nothing when disabled or without an address', async () => {
    for (const options of [{ host: '127.0.0.1', port, enabled: false }, { host: '127.0.0.1' }, {}]) {
      const metrics = createMetrics(options);
      metrics.increment('runs.started');
      metrics.timing('step.duration', 1);
      await metrics.close();
    }
    await sleep(200);
    expect(received).toEqual([]);
  });

  it('never throws when StatsD is unreachable or its host unknown, and warns once', async () => {
    const lines: string[] = [];
    const logger = createLogger('warn', {
      write: (line: string) => lines.push(line),
    } as unknown as NodeJS.WritableStream);
    const closed = dgram.createSocket('udp4').bind(0, '127.0.0.1');
    await once(closed, 'listening');
    const deadPort = closed.address().port;
    closed.close();
    for (const host of ['127.0.0.1', 'statsd.invalid']) {
      const metrics = createMetrics({ host, port: deadPort }, logger);
      for (let i = 0; i < 5; i++) {
        metrics.increment('runs.started');
        await sleep(20);
      }
      await metrics.close();
    }
    expect(lines.filter((l) => /statsd\.invalid/.test(l))).toHaveLength(1);
  });
});

describe('activityMetrics', () => {
  it('counts every attempt after the first as a retry of that activity', async () => {
    const metrics = createMetrics({ host: '127.0.0.1', port });
    const interceptors = [activityMetrics(metrics)];
    for (const attempt of [1, 2, 3]) {
      const env = new MockActivityEnvironment({ attempt, activityType: 'cloneRepo' }, { interceptors });
      expect(await env.run(async () => 'done')).toBe('done');
    }
    await metrics.close();
    await until(2);
    expect(received).toEqual([
      'speckit.activity.retries:1|c|#activity:cloneRepo',
      'speckit.activity.retries:1|c|#activity:cloneRepo',
    ]);
  });
});

describe('metricsConfigFromEnv', () => {
  it('prefers SPEC_WORKFLOW_METRICS_* over STATSD_*', () => {
    expect(
      metricsConfigFromEnv({
        STATSD_HOST: 'statsd',
        STATSD_PORT: '8125',
        SPEC_WORKFLOW_METRICS_HOST: 'metrics',
        SPEC_WORKFLOW_METRICS_PORT: '9125',
      }),
    ).toEqual({ enabled: true, host: 'metrics', port: 9125, prefix: 'speckit.' });
    expect(metricsConfigFromEnv({ STATSD_HOST: 'statsd', STATSD_PORT: '8125' })).toMatchObject({
      host: 'statsd',
      port: 8125,
    });
  });

  it('is off when SPEC_WORKFLOW_METRICS_ENABLED=false, and without an address', () => {
    expect(
      metricsConfigFromEnv({
        STATSD_HOST: 'statsd',
        STATSD_PORT: '8125',
        SPEC_WORKFLOW_METRICS_ENABLED: 'false',
      }),
    ).toMatchObject({ enabled: false });
    expect(metricsConfigFromEnv({})).toEqual({
      enabled: true,
      host: undefined,
      port: undefined,
      prefix: 'speckit.',
    });
  });

  it('names a malformed variable', () => {
    expect(() => metricsConfigFromEnv({ STATSD_PORT: 'eighty' })).toThrow(/STATSD_PORT/);
    expect(() => metricsConfigFromEnv({ SPEC_WORKFLOW_METRICS_ENABLED: 'maybe' })).toThrow(
      /SPEC_WORKFLOW_METRICS_ENABLED: must be true or false/,
    );
  });
});
