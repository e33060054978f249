// The operator's answers to a waiting run: `answer`, `approve` and `reject`, each a Temporal update
// the run validates before accepting it (src/workflows/clarification-gate.ts, approval-gate.ts).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { type Command, Option } from 'commander';
import type { Config } from '../config.js';
import { CliError } from './cli-error.js';
import { runIdCommand } from './run-id-command.js';

export function answerCommand(getConfig: () => Config): Command {
  return runIdCommand(
    'answer',
    "answer the spec's open questions of a run waiting for clarification, one answer per question, in order",
  )
    .option('--answer <text>', 'the answer to the next question (repeatable)', collect, [] as string[])
    .option('--answers-file <file>', 'a JSON array of answers, or {"answers": [...]}')
    .action(async (runId: string, opts: { answer: string[]; answersFile?: string }) => {
      const answers = answersOf(opts);
      await send(getConfig(), runId, 'answers accepted', (client) =>
        client.answerClarifications(runId, answers),
      );
    });
}

export function approveCommand(getConfig: () => Config): Command {
  return runIdCommand('approve', 'let a run waiting for approval publish its branch')
    .option('--comment <text>', 'said in the run summary and the pull request')
    .addOption(byOption('approves'))
    .action(async (runId: string, opts: { comment?: string; by: string }) => {
      await send(getConfig(), runId, 'approved', (client) =>
        client.approve(runId, { by: opts.by, comment: opts.comment }),
      );
    });
}

export function rejectCommand(getConfig: () => Config): Command {
  return runIdCommand('reject', 'end a run waiting for approval as rejected: nothing is pushed')
    .requiredOption('--reason <text>', 'why, recorded with the run')
    .addOption(byOption('rejects'))
    .action(async (runId: string, opts: { reason: string; by: string }) => {
      await send(getConfig(), runId, 'rejected', (client) =>
        client.reject(runId, { reason: opts.reason, by: opts.by }),
      );
    });
}

/** The Temporal client is loaded only when a command runs: the full help builds these commands too. */
async function send(...args: Parameters<typeof import('./send-update.js').sendUpdate>): Promise<void> {
  const { sendUpdate } = await import('./send-update.js');
  await sendUpdate(...args);
}

function answersOf(opts: { answer: string[]; answersFile?: string }): string[] {
  if (opts.answer.length > 0 === Boolean(opts.answersFile)) {
    throw new CliError(
      'give the answers with --answer (once per question) or with --answers-file, not both',
      2,
    );
  }
  if (!opts.answersFile) return opts.answer;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(opts.answersFile, 'utf8'));
  } catch (err) {
    throw new CliError(`--answers-file ${opts.answersFile}: ${(err as Error).message}`, 2);
  }
  const answers = Array.isArray(parsed) ? parsed : (parsed as { answers?: unknown })?.answers;
  if (!Array.isArray(answers) || answers.some((a) => typeof a !== 'string')) {
    throw new CliError(
      `--answers-file ${opts.answersFile}: expected a JSON array of strings or {"answers": [...]}`,
      2,
    );
  }
  return answers;
}

/** Who decides, recorded with the run: the operator's login name unless given. */
function byOption(verb: string): Option {
  return new Option('--by <name>', `who ${verb}`).default(os.userInfo().username);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
