import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from '../artifacts.js';
import type { Config } from '../config.js';
import { findRun, runArtifacts } from '../db/run-queries.js';
import { withDatabase } from './database.js';
import { bytes, table, time } from './format.js';
import { explainUnrecorded } from './unrecorded.js';

interface Listed {
  path: string;
  sizeBytes: number;
  sha256?: string;
  expiresAt?: Date;
  expiredAt?: Date | null;
}

/** What `artifacts` does. */
export async function printArtifacts(config: Config, runId: string, json?: boolean): Promise<void> {
  const { run, indexed } = await withDatabase(config.databaseUrl, async (pool) => ({
    run: (await findRun(pool, runId)) ?? (await explainUnrecorded(config, runId, 'artifacts')),
    indexed: await runArtifacts(pool, runId),
  }));
  // A run still going has not been indexed yet: its directory says what there is so far.
  const artifacts: Listed[] = indexed.length ? indexed : await directoryListing(run.artifactsDir);
  if (json) {
    console.log(
      JSON.stringify({ runId, artifactsDir: run.artifactsDir, indexed: indexed.length > 0, artifacts }),
    );
    return;
  }
  console.log(`${run.artifactsDir}${indexed.length ? '' : ' (not indexed yet)'}`);
  const rows = artifacts.map((a) => [
    a.path,
    bytes(a.sizeBytes),
    a.sha256?.slice(0, 12) ?? '',
    a.expiredAt ? `expired ${time(a.expiredAt)}` : time(a.expiresAt),
  ]);
  console.log(table([['PATH', 'SIZE', 'SHA256', 'EXPIRES'], ...rows]));
}

async function directoryListing(dir: string): Promise<Listed[]> {
  if (!existsSync(dir)) return [];
  return Promise.all(
    (await listFiles(dir)).map(async (file) => ({
      path: file,
      sizeBytes: (await stat(path.join(dir, file))).size,
    })),
  );
}
