// Recorded histories of real runs must replay on the current workflow code: a change that would
// break executions already running fails here. To record one after an intended, compatible change
// (or with a patch() for an incompatible one), run a demo and export its history:
//   temporal workflow show --workflow-id <runId> --output json > test/replay/histories/<name>.json
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const dir = path.resolve('test/replay/histories');
const histories = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('workflow replay', () => {
  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it.each(histories)('%s replays on the current workflow code', async (file) => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    await Worker.runReplayHistory({ workflowsPath: path.resolve('src/workflows/index.ts') }, history);
  });
});
