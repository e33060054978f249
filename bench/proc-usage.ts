// What the kernel counts for a process (/proc/<pid>): its memory and the CPU time it has used.
import { readFile } from 'node:fs/promises';
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

let ticksPerSecond: number | undefined;

/** User plus system CPU time the process has used since it started, in seconds. */
export async function cpuSeconds(pid: number): Promise<number> {
  ticksPerSecond ??= Number((await check('getconf', ['CLK_TCK'])).stdout.trim());
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name, which is in parentheses and may hold spaces: utime and
  // stime are the 14th and 15th fields of the line, the 12th and 13th after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
