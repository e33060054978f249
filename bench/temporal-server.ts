// The Temporal server the runs go through (the dev server `npm run stack:up` starts): its process,
// found by the port it listens on, and its Prometheus metrics, which `temporal server start-dev`
// serves on a loopback port of its own choosing, found by asking each of the process's ports.
import { check } from './proc.js';

export interface TemporalServer {
  pid: number;
  /** Its /metrics endpoint; absent when none of its ports answers with metrics. */
  metricsUrl?: string;
}

export async function findTemporalServer(address: string): Promise<TemporalServer> {
  const port = address.slice(address.lastIndexOf(':') + 1);
  // "LISTEN 0 4096 127.0.0.1:7233 0.0.0.0:* users:(("temporal",pid=5381,fd=12))"
  const sockets = (await check('ss', ['-ltnpH'])).stdout
    .split('\n')
    .map((line) => ({ local: line.split(/\s+/)[3] ?? '', pid: Number(/pid=(\d+)/.exec(line)?.[1]) }));
  const pid = sockets.find((s) => s.local.endsWith(`:${port}`))?.pid;
  if (!pid) throw new Error(`no process of this machine listens on ${address} (ss -ltnp)`);
  for (const { local } of sockets.filter((s) => s.pid === pid && !s.local.endsWith(`:${port}`))) {
    const url = `http://127.0.0.1:${local.slice(local.lastIndexOf(':') + 1)}/metrics`;
    const text = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (res) => res.text(),
      () => '',
    );
    if (text.includes('service_requests')) return { pid, metricsUrl: url };
  }
  return { pid };
}

/** The heartbeats (RecordActivityTaskHeartbeat calls) the server's frontend took in `namespace`. */
export async function heartbeatsServed(metricsUrl: string, namespace: string): Promise<number> {
  return heartbeatCount(await (await fetch(metricsUrl)).text(), namespace);
}

/** From Prometheus text: 0 until the namespace's first heartbeat (no line yet). */
export function heartbeatCount(metrics: string, namespace: string): number {
  const wanted = [
    // The server's Prometheus reporter writes label values with '_' for what Prometheus names refuse.
    `namespace="${namespace.replace(/[^A-Za-z0-9_]/g, '_')}"`,
    'operation="RecordActivityTaskHeartbeat"',
    'service_name="frontend"',
  ];
  let count = 0;
  for (const [, labels = '', value] of metrics.matchAll(/^service_requests\{([^}]*)\} (\S+)$/gm)) {
    if (wanted.every((w) => labels.split(',').includes(w))) count += Number(value);
  }
  return count;
}
