// Where the CPU time of a stretch of the bench (a round of runs at once) went: the machine's busy
// time (/proc/stat) split into the processes it is known to run on (/proc/<pid>/stat, sampled
// before and after), the containers (their cgroup's total), and the rest: what none of those
// counts, such as the containerd shims and runc processes of containers that came and went.
import { containersCpuSeconds } from './container-cpu.js';
import { type MachineTicks, machineTicks } from './machine-cpu.js';
import { allProcesses, clockTicks, type ProcessStat } from './proc-usage.js';

export const ACCOUNTS = ['worker', 'Temporal', 'PostgreSQL', 'Docker', 'bench', "bench's children"] as const;
export type Account = (typeof ACCOUNTS)[number];

/** The processes to account for: the bench's own, its worker's, the Temporal server's. */
export interface Who {
  benchPid: number;
  workerPid: number;
  /** Absent when the server is not a process of this machine. */
  temporalPid?: number;
}

/**
 * Each account's clock ticks, a process's own time and its exited children's (no tick twice):
 * - worker, Temporal: the process and its descendants;
 * - PostgreSQL: every `postgres` process (the server's, and each connection's);
 * - Docker: dockerd, containerd, and the containerd-shim processes, their own time only (a shim
 *   waits for its container's processes, whose time the containers' total counts);
 * - bench: the bench's own process; bench's children: the `docker run`, CLI and Spec Kit processes
 *   it ran and waited for (not the worker, which runs on).
 */
export function accountTicks(processes: ProcessStat[], who: Who): Record<Account, number> {
  const ticks = Object.fromEntries(ACCOUNTS.map((a) => [a, 0])) as Record<Account, number>;
  const worker = descendants(processes, who.workerPid);
  const temporal = who.temporalPid === undefined ? new Set() : descendants(processes, who.temporalPid);
  for (const p of processes) {
    const all = p.ownTicks + p.childTicks;
    if (worker.has(p.pid)) ticks.worker += all;
    else if (temporal.has(p.pid)) ticks.Temporal += all;
    else if (p.comm === 'postgres') ticks.PostgreSQL += all;
    else if (p.comm === 'dockerd' || p.comm === 'containerd') ticks.Docker += all;
    else if (p.comm.startsWith('containerd-shim')) ticks.Docker += p.ownTicks;
    else if (p.pid === who.benchPid) {
      ticks.bench += p.ownTicks;
      ticks["bench's children"] += p.childTicks;
    }
  }
  return ticks;
}

/** The pid and every process below it. */
export function descendants(processes: ProcessStat[], pid: number): Set<number> {
  const found = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of processes) {
      if (found.has(p.ppid) && !found.has(p.pid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return found;
}

export interface CpuSample {
  machine: MachineTicks;
  accounts: Record<Account, number>;
  containersSeconds?: number;
}

async function sampleCpu(who: Who): Promise<CpuSample> {
  const [processes, machine, containersSeconds] = await Promise.all([
    allProcesses(),
    machineTicks(),
    containersCpuSeconds(),
  ]);
  return { machine, accounts: accountTicks(processes, who), containersSeconds };
}

/** What a stretch of time used, in CPU seconds. */
export interface StretchCpu {
  machine: MachineTicks;
  accounts: Record<Account, number>;
  /** Undefined where the containers' total cannot be read: then the rest holds them. */
  containers?: number;
  /** Machine busy time less the accounts and the containers. */
  rest: number;
}

export function cpuBetween(before: CpuSample, after: CpuSample, ticksPerSecond: number): StretchCpu {
  const seconds = (a: number, b: number) => (b - a) / ticksPerSecond;
  const machine = {
    busy: seconds(before.machine.busy, after.machine.busy),
    idle: seconds(before.machine.idle, after.machine.idle),
    iowait: seconds(before.machine.iowait, after.machine.iowait),
    steal: seconds(before.machine.steal, after.machine.steal),
  };
  const accounts = Object.fromEntries(
    ACCOUNTS.map((a) => [a, seconds(before.accounts[a], after.accounts[a])]),
  ) as Record<Account, number>;
  const containers =
    before.containersSeconds === undefined || after.containersSeconds === undefined
      ? undefined
      : after.containersSeconds - before.containersSeconds;
  const listed = ACCOUNTS.reduce((sum, a) => sum + accounts[a], 0) + (containers ?? 0);
  return { machine, accounts, containers, rest: machine.busy - listed };
}

/** Samples now; the function it returns samples again and says what the time between used. */
export async function watchCpu(who: Who): Promise<() => Promise<StretchCpu>> {
  const ticksPerSecond = await clockTicks();
  const before = await sampleCpu(who);
  return async () => cpuBetween(before, await sampleCpu(who), ticksPerSecond);
}

const s = (seconds: number) => `${seconds.toFixed(1)} s`;

/** "machine 98.0 s: worker 12.3 s, …, containers 55.0 s, rest 6.9 s" */
export function formatCpu(cpu: StretchCpu): string {
  const parts = ACCOUNTS.map((a) => `${a} ${s(cpu.accounts[a])}`);
  if (cpu.containers === undefined) parts.push(`rest (containers) ${s(cpu.rest)}`);
  else parts.push(`containers ${s(cpu.containers)}`, `rest ${s(cpu.rest)}`);
  return `machine ${s(cpu.machine.busy)}: ${parts.join(', ')}`;
}

/** "2 × 55.5 s = 111.0 s: busy 98.0 s (88%), idle 11.0 s, iowait 0.5 s, steal 1.5 s" */
export function formatCapacity(cpu: StretchCpu, cpus: number, ms: number): string {
  const capacity = (cpus * ms) / 1000;
  const { busy, idle, iowait, steal } = cpu.machine;
  return `${cpus} × ${s(ms / 1000)} = ${s(capacity)}: busy ${s(busy)} (${Math.round((100 * busy) / capacity)}%), idle ${s(idle)}, iowait ${s(iowait)}, steal ${s(steal)}`;
}
