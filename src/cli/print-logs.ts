import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import { findRun, stepStates } from '../db/run-queries.js';
import { CliError } from './cli-error.js';
import { withDatabase } from './database.js';
import { LogTail } from './log-tail.js';
import { awaitRecorded, explainUnrecorded } from './unrecorded.js';

const POLL_MS = 500;

export interface LogsOptions {
  step?: string;
  follow?: boolean;
}

/** What `logs` does. */
export async function printLogs(config: Config, runId: string, { step, follow }: LogsOptions): Promise<void> {
  await withDatabase(config.databaseUrl, async (pool) => {
    const run =
      (await findRun(pool, runId)) ??
      (follow
        ? await awaitRecorded(config, pool, runId)
        : await explainUnrecorded(
            config,
            runId,
            'logs',
            `: follow them with \`speckit-automation logs ${runId} --follow\``,
          ));
    if (!existsSync(run.artifactsDir)) {
      const why = run.expiredAt ? 'retention removed them' : 'they are on the worker host that ran it';
      throw new CliError(`the logs of run ${runId} are not here (${run.artifactsDir}): ${why}`);
    }
    const tail = new LogTail(run.artifactsDir, step);
    for (;;) {
      // Checked before printing, so the last round prints everything the run wrote.
      const finished = !follow || (await findRun(pool, runId))?.finishedAt;
      await tail.printNew((await stepStates(pool, runId)).map((s) => s.step));
      if (finished) break;
      await sleep(POLL_MS);
    }
    if (step && !tail.printedAnything) {
      throw new CliError(
        `step ${step} of run ${runId} has no log output: see \`speckit-automation status ${runId}\``,
      );
    }
  });
}
