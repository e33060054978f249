// What the bench prints: each measurement next to its target (issue 12), then the one summary line.
// Figures, not verdicts: nothing here fails because of a time.
import { formatRatio } from './stats.js';

export const TARGETS = {
  single: 'one run ≤ 1.2× the floor',
  concurrent: '10 at once ≤ 1.2× the floor',
  peer: "≤ 2.5× Spec Kit's own engine",
  rss: 'worker peak RSS ≤ 200 MB at 10 concurrent runs',
  cliStart: 'CLI start → workflow started ≤ 150 ms',
  loud: '1 GB of phase output: ≤ 50 MB RSS growth',
  clone: 'repeat clone of a large repository ≤ 0.2× a plain clone',
} as const;

export interface Summary {
  single?: number;
  concurrent?: number;
  peer?: number;
  rssMb?: number;
  clone?: number;
}

/** The last line of every bench run, in this exact form. */
export function summaryLine(s: Summary): string {
  const mb = s.rssMb === undefined ? 'n/a' : String(Math.round(s.rssMb));
  return [
    `single=${formatRatio(s.single)}`,
    `concurrent=${formatRatio(s.concurrent)}`,
    `peer=${formatRatio(s.peer)}`,
    `rss_mb=${mb}`,
    `clone=${formatRatio(s.clone)}`,
  ].join(' ');
}

/** One line of the table: what was measured, its value, and the target it is held to. */
export function row(what: string, measured: string, target?: string): string {
  const line = `  ${what.padEnd(40)} ${measured}`;
  return target ? `${line.padEnd(96)} target: ${target}` : line;
}
