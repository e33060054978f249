// `npm run bench [-- --quick] [-- --only single,loud] [-- --keep]`.

export const SECTIONS = ['single', 'loud', 'clone'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  quick: boolean;
  /** One run per side per round: the medians and spreads are over this many rounds. */
  rounds: number;
  /** Rounds of N runs at once per side. */
  concurrentRounds: number;
  concurrency: number;
  /** Rounds of a plain clone and a repeat clone through the cache. */
  cloneRounds: number;
  loudBytes: number;
  /** single: the side-by-side runs (one, and N at once), CLI timings and the worker's RSS. */
  sections: Set<Section>;
  /** Keep the bench's temporary directory (workspaces, worker logs) for a look afterwards. */
  keep: boolean;
}

export function parseOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const sections = new Set<Section>(only ? (only.split(',') as Section[]) : SECTIONS);
  for (const s of sections) {
    if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`);
  }
  const unknown = argv.filter((a) => !['--quick', '--keep'].includes(a) && !a.startsWith('--only='));
  if (unknown.length)
    throw new Error(`unknown arguments: ${unknown.join(' ')} (--quick, --only=<sections>, --keep)`);
  return {
    quick,
    rounds: quick ? 3 : 10,
    // A CPU-bound round's makespan moves ±15% from one round to the next on this 2-core machine
    // (project ÷ floor per alternating pair: 1.30, 1.03, 1.13, 1.08, 1.18): three left the median
    // to chance (1.08–1.37× across full benches).
    concurrentRounds: quick ? 1 : 5,
    concurrency: 10,
    cloneRounds: 3,
    // Docker's json-file logging alone moves a few MB/s on a loaded 2-core machine: 1 GB takes
    // minutes, well beyond the quick run's five. Reading is bounded (a full pipe waits), so the
    // growth shows at 64 MB as at 1 GB: 13 MB at 128 MB, 13 MB at 1 GB.
    loudBytes: quick ? 64 * 1024 ** 2 : 1024 ** 3,
    sections,
    keep: argv.includes('--keep'),
  };
}
