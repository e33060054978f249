// The machine's CPU time as a whole (/proc/stat's `cpu` line): what all its CPUs spent busy, idle,
// waiting on I/O, and stolen by the hypervisor, summed over the CPUs, in clock ticks.
import { readFile } from 'node:fs/promises';

export interface MachineTicks {
  /** user, nice, system, irq and softirq (guest time is within user and nice). */
  busy: number;
  idle: number;
  iowait: number;
  /** Time the CPUs were ready to run but the hypervisor ran something else. */
  steal: number;
}

export function parseMachineTicks(procStat: string): MachineTicks {
  const line = /^cpu\s+(.*)$/m.exec(procStat)?.[1];
  if (!line) throw new Error('no "cpu" line in /proc/stat');
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .map(Number);
  return { busy: user + nice + system + irq + softirq, idle, iowait, steal };
}

export async function machineTicks(): Promise<MachineTicks> {
  return parseMachineTicks(await readFile('/proc/stat', 'utf8'));
}
