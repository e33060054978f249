// What the bench says about the machine it ran on: absolute times follow its load.
import os from 'node:os';
import { formatMb } from './stats.js';

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export function machineLine(): string {
  return `machine: ${os.cpus().length} CPUs, ${formatMb(os.totalmem() / 1024)} memory, load average ${loadAverage()} (1/5/15 min)`;
}
