import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { findRun, phaseStates } from '../db/run-queries.js';
import { CliError } from './cli-error.js';
import { withDatabase } from './database.js';
import { LogTail } from './log-tail.js';
import { awaitRecorded, explainUnrecorded } from './unrecorded.js';

const POLL_MS = 500;

export function logsCommand(): Command {
  return new Command('logs')
    .description("print a run's step logs (each step's stdout and stderr)")
    .argument('<runId>')
    .option('--phase <step>', 'only this step: clone, init, a Spec Kit phase, commit or push')
    .option('--follow', 'keep printing new output until the run finishes')
    .action(async (runId: string, opts: { phase?: string; follow?: boolean }) => {
      await withDatabase(async (pool) => {
        const run =
          (await findRun(pool, runId)) ??
          (opts.follow
            ? await awaitRecorded(pool, runId)
            : await explainUnrecorded(
                runId,
                'logs',
                `: follow them with \`speckit-automation logs ${runId} --follow\``,
              ));
        if (!existsSync(run.artifactsDir)) {
          const why = run.expiredAt ? 'retention removed them' : 'they are on the worker host that ran it';
          throw new CliError(`the logs of run ${runId} are not here (${run.artifactsDir}): ${why}`);
        }
        const tail = new LogTail(run.artifactsDir, opts.phase);
        for (;;) {
          // Checked before printing, so the last round prints everything the run wrote.
          const finished = !opts.follow || (await findRun(pool, runId))?.finishedAt;
          await tail.printNew((await phaseStates(pool, runId)).map((p) => p.phase));
          if (finished) break;
          await sleep(POLL_MS);
        }
        if (opts.phase && !tail.printedAnything) {
          throw new CliError(
            `step ${opts.phase} of run ${runId} has no log output: see \`speckit-automation status ${runId}\``,
          );
        }
      });
    });
}
