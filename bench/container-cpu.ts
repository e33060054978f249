// The CPU time every Docker container has used, from the cgroup all of them live under (Docker's
// cgroupfs driver: `docker/<id>`). The kernel charges a container's use to its parent cgroup too,
// and that total stays when the container is removed: its growth over a stretch of time counts the
// containers that came and went in it. Systemd's driver puts each container in a scope of its own
// under system.slice, beside other services, with no such total: n/a there.
import { readFile } from 'node:fs/promises';

/** Where the total may be, and how to read seconds from it. */
const TOTALS: { file: string; seconds: (text: string) => number }[] = [
  // cgroup v1: nanoseconds.
  { file: '/sys/fs/cgroup/cpuacct/docker/cpuacct.usage', seconds: nanoseconds },
  { file: '/sys/fs/cgroup/cpu,cpuacct/docker/cpuacct.usage', seconds: nanoseconds },
  // cgroup v2: cpu.stat's usage_usec.
  { file: '/sys/fs/cgroup/docker/cpu.stat', seconds: cpuStatSeconds },
];

export function nanoseconds(text: string): number {
  return Number(text.trim()) / 1e9;
}

export function cpuStatSeconds(text: string): number {
  const usec = /^usage_usec (\d+)$/m.exec(text)?.[1];
  return usec === undefined ? Number.NaN : Number(usec) / 1e6;
}

/** The containers' CPU seconds so far, or undefined where there is no such total. */
export async function containersCpuSeconds(): Promise<number | undefined> {
  for (const { file, seconds } of TOTALS) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return seconds(text);
  }
  return undefined;
}
