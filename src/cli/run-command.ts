import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { type SpecKitClient, type ValidRunInput, validRunInput } from '../client.js';
import type { Config } from '../config.js';
import {
  AGENT_BACKENDS,
  type AgentBackend,
  CLARIFICATION_POLICIES,
  CONSTITUTION_POLICIES,
  PUBLISH_MODES,
  type RunInputRaw,
} from '../run/input.js';
import type { RunSummary } from '../run/summary.js';
import { EXIT } from './exit-codes.js';
import { connectTemporal, pollingWorkers, startWorkerHint } from './temporal.js';
import { watchRun } from './watch-run.js';

interface RunOptions {
  repo: string;
  text?: string;
  textFile?: string;
  base?: string;
  phases?: string;
  agent?: string;
  /** The scripted agent's test hooks: not in --help; a worker without SPECKIT_TEST_HOOKS=1 refuses them. */
  agentOptions?: string;
  agentArg: string[];
  model?: string;
  publish?: string;
  clarification?: string;
  requireApproval?: boolean;
  constitution?: string;
  wait?: boolean;
  json?: boolean;
}

export function runCommand(getConfig: () => Config): Command {
  return new Command('run')
    .description('start a Spec Kit run')
    .requiredOption('--repo <url|path>', 'git URL, or a path to a repository on the worker host')
    .option('--text <description>', 'the feature description')
    .option('--text-file <file>', 'read the feature description from a file')
    .option('--base <branch>', 'base branch to clone', 'main')
    .option('--phases <list>', 'comma-separated Spec Kit phases', 'specify,plan,tasks')
    .addOption(new Option('--agent <backend>', 'agent CLI (default: SPECKIT_AGENT)').choices(AGENT_BACKENDS))
    .option('--model <model>', 'model name passed to the agent CLI (default: SPECKIT_AGENT_MODEL)')
    .option(
      '--agent-arg <arg>',
      "an argument appended to the agent CLI's command line, after SPECKIT_AGENT_EXTRA_ARGS (repeatable)",
      (arg: string, args: string[]) => [...args, arg],
      [] as string[],
    )
    .addOption(
      new Option(
        '--agent-options <json>',
        "the scripted agent's test hooks as JSON, e.g. '{\"delaySeconds\":1}' (tests and demos only)",
      ).hideHelp(),
    )
    .addOption(new Option('--publish <mode>', 'what to publish').choices(PUBLISH_MODES).default('branch'))
    .addOption(
      new Option(
        '--clarification <policy>',
        "the spec's open questions after specify/clarify: fail the run, ignore them, or wait for `answer`",
      )
        .choices(CLARIFICATION_POLICIES)
        .default('ignore'),
    )
    .option('--require-approval', 'stop before publishing until `approve` or `reject`')
    .addOption(
      new Option(
        '--constitution <policy>',
        "a constitution that is still Spec Kit's template: ignore it, warn (record, pull request), or require one (fail)",
      )
        .choices(CONSTITUTION_POLICIES)
        .default('warn'),
    )
    .option('--wait', 'wait for the run to finish, showing each phase')
    .option('--json', 'print one JSON object (with --wait: the run summary)')
    .action(async (opts: RunOptions, cmd: Command) => {
      let input: ValidRunInput;
      try {
        // Validated before connecting to anything: bad input never starts a run.
        input = validRunInput(toRunInput(opts));
      } catch (err) {
        cmd.error(`error: ${(err as Error).message}`, { exitCode: EXIT.invalidInput });
      }
      const config = getConfig();
      const client = await connectTemporal(config);
      try {
        process.exitCode = await startAndReport(client, input, opts, config.temporal.taskQueue);
      } finally {
        await client.close();
      }
    });
}

async function startAndReport(
  client: SpecKitClient,
  input: ValidRunInput,
  opts: RunOptions,
  taskQueue: string,
): Promise<number> {
  const started = await client.startValidRun(input);
  if (!opts.wait) {
    console.log(opts.json ? JSON.stringify(started) : `started run ${started.runId}\n  ${started.uiUrl}`);
    if ((await pollingWorkers(client, taskQueue).catch(() => undefined)) === 0) {
      console.error(
        `warning: no worker polls task queue ${taskQueue}: run ${started.runId} waits until one picks it up; ${startWorkerHint(taskQueue)}`,
      );
    }
    return EXIT.ok;
  }
  if (!opts.json) console.log(`run ${started.runId} started\n  Temporal UI: ${started.uiUrl}`);
  const summary = await watchRun(client, started.runId, taskQueue, { show: !opts.json, interruptible: true });
  if (opts.json) {
    console.log(JSON.stringify(jsonReport(summary)));
  } else {
    console.log(humanReport(summary));
  }
  return exitCodeFor(summary.status);
}

function toRunInput(opts: RunOptions): RunInputRaw {
  if ((opts.text === undefined) === (opts.textFile === undefined)) {
    throw new Error('give the feature description with exactly one of --text or --text-file');
  }
  const specifyText = opts.text ?? readFileSync(opts.textFile as string, 'utf8');
  return {
    repo: resolveRepo(opts.repo),
    specifyText,
    baseBranch: opts.base,
    phases: opts.phases?.split(',').map((p) => p.trim()) as RunInputRaw['phases'],
    agent:
      opts.agent || opts.model || opts.agentArg.length || opts.agentOptions ? agentConfig(opts) : undefined,
    publish: { mode: opts.publish as 'branch' },
    clarification: opts.clarification as RunInputRaw['clarification'],
    requireApproval: opts.requireApproval,
    constitution: opts.constitution as RunInputRaw['constitution'],
  };
}

function agentConfig(opts: RunOptions): NonNullable<RunInputRaw['agent']> {
  let options: unknown;
  try {
    options = opts.agentOptions ? JSON.parse(opts.agentOptions) : undefined;
  } catch {
    throw new Error(`--agent-options is not valid JSON: ${opts.agentOptions}`);
  }
  return {
    backend: opts.agent as AgentBackend | undefined,
    model: opts.model,
    extraArgs: opts.agentArg.length ? opts.agentArg : undefined,
    options: options as never,
  };
}

/** A local path is made absolute and must exist: the worker mounts it at the same path. */
function resolveRepo(repo: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo)) return repo;
  const absolute = path.resolve(repo);
  if (!existsSync(absolute)) throw new Error(`repository path ${absolute} does not exist`);
  return absolute;
}

function exitCodeFor(status: RunSummary['status']): number {
  if (status === 'succeeded' || status === 'no_changes') return EXIT.ok;
  if (status === 'rejected') return EXIT.rejected;
  return status === 'cancelled' ? EXIT.cancelled : EXIT.failed;
}

function jsonReport(s: RunSummary) {
  return {
    runId: s.runId,
    workflowId: s.workflowId,
    status: s.status,
    branch: s.branch ?? null,
    commit: s.commit ?? null,
    artifactsDir: s.artifactsDir ?? null,
    error: s.error ?? null,
    reason: s.reason ?? null,
    constitution: s.constitution ?? null,
    answeredClarifications: s.answeredClarifications ?? [],
    approval: s.approval ?? null,
    steps: s.steps.map((p) => ({
      name: p.name,
      status: p.status,
      exitCode: p.exitCode ?? null,
      durationMs: p.durationMs ?? null,
    })),
  };
}

function humanReport(s: RunSummary): string {
  return [
    `run ${s.runId}: ${s.status}`,
    s.branch && `  branch:    ${s.branch}`,
    s.commit && `  commit:    ${s.commit}`,
    s.artifactsDir && `  artifacts: ${s.artifactsDir}`,
    s.error && `  error:     ${s.error}`,
    s.reason && `  reason:    ${s.reason}`,
  ]
    .filter(Boolean)
    .join('\n');
}
