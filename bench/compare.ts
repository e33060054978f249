// The side-by-side runs: the sides take turns (the order rotates every round, so none always runs
// first on a cache another warmed or last on a machine another loaded), and every pushed branch's
// contents are compared at the end.
import { branchDigest } from './sample-repo.js';
import type { SideRun } from './side.js';

export type SideName = 'floor' | 'project' | 'peer';
export type Sides = Record<SideName, (id: string) => Promise<SideRun>>;
export const SIDE_NAMES: SideName[] = ['floor', 'project', 'peer'];

export interface Comparison {
  single: Record<SideName, number[]>;
  concurrent: Record<SideName, number[]>;
  /** Every run of every side. */
  runs: { side: SideName; run: SideRun }[];
}

const rotated = <T>(items: T[], by: number): T[] => items.map((_, i) => items[(i + by) % items.length] as T);

export async function compareSides(
  sides: Sides,
  opts: {
    rounds: number;
    concurrentRounds: number;
    concurrency: number;
    say: (line: string) => void;
    /** Called before each round of N at once; what it returns is called after it, with its makespan. */
    aroundConcurrent?: (side: SideName) => Promise<(ms: number) => Promise<void>>;
  },
): Promise<Comparison> {
  const result: Comparison = {
    single: { floor: [], project: [], peer: [] },
    concurrent: { floor: [], project: [], peer: [] },
    runs: [],
  };
  const once = async (side: SideName, id: string) => {
    const run = await sides[side](id);
    result.runs.push({ side, run });
    return run;
  };
  opts.say('warm-up: one run of each side, not counted');
  for (const side of SIDE_NAMES) await once(side, 'warmup');
  for (let round = 0; round < opts.rounds; round++) {
    for (const side of rotated(SIDE_NAMES, round)) {
      const run = await once(side, `single-${round}`);
      result.single[side].push(run.ms);
      opts.say(`  one run, round ${round + 1}/${opts.rounds}, ${side}: ${(run.ms / 1000).toFixed(2)} s`);
    }
  }
  for (let round = 0; round < opts.concurrentRounds; round++) {
    for (const side of rotated(SIDE_NAMES, round)) {
      const ids = Array.from({ length: opts.concurrency }, (_, i) => `concurrent-${round}-${i}`);
      const after = await opts.aroundConcurrent?.(side);
      const start = performance.now();
      await Promise.all(ids.map((id) => once(side, id)));
      const ms = performance.now() - start;
      await after?.(ms);
      result.concurrent[side].push(ms);
      opts.say(
        `  ${opts.concurrency} at once, round ${round + 1}/${opts.concurrentRounds}, ${side}: ${(ms / 1000).toFixed(2)} s`,
      );
    }
  }
  return result;
}

/** Each distinct branch content digest with the sides that pushed it: one entry when all agree. */
export async function branchContents(runs: Comparison['runs']): Promise<Map<string, Set<SideName>>> {
  const digests = new Map<string, Set<SideName>>();
  for (const { side, run } of runs) {
    const digest = await branchDigest(run.remote, run.branch);
    digests.set(digest, (digests.get(digest) ?? new Set()).add(side));
  }
  return digests;
}
