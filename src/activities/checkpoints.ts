import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { RunCheckpoints } from '../db/run-checkpoints.js';

/** Where a step's container leaves its checkpoint (SAVE_CHECKPOINT in git/step-scripts). */
export function checkpointFile(runDir: string, step: string): string {
  return path.join(runDir, `${step}.checkpoint`);
}

/**
 * After a step succeeded: stores the checkpoint its container left where every host reaches it, so
 * another host can resume the run from here. No file: the repository is still as cloned.
 */
export async function keepCheckpoint(
  checkpoints: RunCheckpoints,
  s: { runId: string; runDir: string; step: string; branch?: string },
): Promise<void> {
  const file = checkpointFile(s.runDir, s.step);
  const bundle = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  await checkpoints.saved(s.runId, s.step, bundle, s.branch);
  await rm(file, { force: true });
}
