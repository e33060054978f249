// What the kernel counts for a process (/proc/<pid>): its memory and the CPU time it has used.
import { readdir, readFile } from 'node:fs/promises';
import { check } from './proc.js';

export interface Memory {
  /** VmRSS: resident now. */
  rssKb: number;
  /** VmHWM: the peak resident size since the process started. */
  hwmKb: number;
}

export async function processMemory(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

/** One process's line of /proc/<pid>/stat, its CPU times in clock ticks. */
export interface ProcessStat {
  pid: number;
  /** The command name, at most 15 characters (`containerd-shim` for containerd-shim-runc-v2). */
  comm: string;
  ppid: number;
  /** utime + stime: what the process itself has used. */
  ownTicks: number;
  /** cutime + cstime: what its children used, once they exited and it waited for them. */
  childTicks: number;
}

export function parseProcessStat(stat: string): ProcessStat {
  // The command name is in parentheses and may hold spaces and parentheses: it ends at the last ')'.
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  // The fields after it: state is the 3rd field of the line, ppid the 4th, utime, stime, cutime and
  // cstime the 14th to 17th.
  const fields = stat
    .slice(close + 2)
    .split(' ')
    .map(Number);
  const at = (field: number) => fields[field - 3] as number;
  return {
    pid: Number(stat.slice(0, open)),
    comm: stat.slice(open + 1, close),
    ppid: at(4),
    ownTicks: at(14) + at(15),
    childTicks: at(16) + at(17),
  };
}

let ticksPerSecond: number | undefined;

/** How many clock ticks make a second in /proc/<pid>/stat and /proc/stat (USER_HZ). */
export async function clockTicks(): Promise<number> {
  ticksPerSecond ??= Number((await check('getconf', ['CLK_TCK'])).stdout.trim());
  return ticksPerSecond;
}

/** User plus system CPU time the process has used since it started, in seconds. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = parseProcessStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  return stat.ownTicks / (await clockTicks());
}

/** Every process of the machine now; those that exit while it reads are left out. */
export async function allProcesses(): Promise<ProcessStat[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(
    pids.map((pid) => readFile(`/proc/${pid}/stat`, 'utf8').then(parseProcessStat, () => undefined)),
  );
  return stats.filter((s) => s !== undefined);
}
