import { describe, expect, it } from 'vitest';
import { parseLoadOptions } from '../../bench/load-options.js';
import { heartbeatCount } from '../../bench/temporal-server.js';

describe('load bench', () => {
  it("counts the frontend's heartbeats of one namespace, as the server's metrics name it", () => {
    const metrics = [
      '# TYPE service_requests counter',
      'service_requests{namespace="default",operation="RecordActivityTaskHeartbeat",service_name="frontend"} 649',
      'service_requests{namespace="speckit_bench_load",operation="RecordActivityTaskHeartbeat",service_name="frontend"} 12',
      'service_requests{namespace="speckit_bench_load",operation="RecordActivityTaskHeartbeat",service_name="history"} 12',
      'service_requests{namespace="speckit_bench_load",operation="RecordWorkerHeartbeat",service_name="matching"} 2',
    ].join('\n');
    expect(heartbeatCount(metrics, 'speckit-bench-load')).toBe(12);
    expect(heartbeatCount(metrics, 'other')).toBe(0);
  });

  it('runs 50 runs of three one-minute phases unless told otherwise', () => {
    expect(parseLoadOptions([])).toEqual({
      runs: 50,
      delaySeconds: 60,
      phases: ['specify', 'plan', 'tasks'],
      keep: false,
    });
    expect(parseLoadOptions(['--runs=2', '--delay=5', '--phases=specify', '--keep'])).toEqual({
      runs: 2,
      delaySeconds: 5,
      phases: ['specify'],
      keep: true,
    });
    expect(() => parseLoadOptions(['--runs=0'])).toThrow(/--runs/);
    expect(() => parseLoadOptions(['--fast'])).toThrow(/unknown arguments: --fast/);
  });
});
