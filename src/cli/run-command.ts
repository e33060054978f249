import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { SpecKitClient } from '../client.js';
import type { Config } from '../config.js';
import type { StartedRun } from '../run/identity.js';
import {
  AGENT_BACKENDS,
  type AgentBackend,
  CLARIFICATION_POLICIES,
  CONSTITUTION_POLICIES,
  PUBLISH_MODES,
  type RunInputRaw,
} from '../run/input.js';
import { type ValidRunInput, validRunInput } from '../run/valid-input.js';
import { EXIT } from './exit-codes.js';
import { pollingWorkersOverHttp, startOverHttp } from './temporal-http.js';
import { warnIfNoWorker } from './worker-hints.js';

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
      const temporal = new LazyTemporal(config);
      try {
        const { httpUrl } = config.temporal;
        const started = httpUrl
          ? await startOverHttp(httpUrl, config.temporal, input)
          : await (await temporal.client()).startValidRun(input);
        announce(started, opts);
        const { taskQueue } = config.temporal;
        if (!opts.wait) {
          const workers = httpUrl
            ? await pollingWorkersOverHttp(httpUrl, config.temporal)
            : await temporal.pollingWorkers(taskQueue);
          warnIfNoWorker(workers, started.runId, taskQueue);
          return;
        }
        if (httpUrl && opts.json) {
          const { waitOverHttp } = await import('./wait-over-http.js');
          process.exitCode = await waitOverHttp(httpUrl, config.temporal, started.runId);
          return;
        }
        const { waitForRun } = await import('./run-outcome.js');
        process.exitCode = await waitForRun(await temporal.client(), started.runId, opts, taskQueue);
      } finally {
        await temporal.close();
      }
    });
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

/** The run's id as soon as it has started; with --json and --wait the summary alone is printed, at the end. */
function announce(started: StartedRun, opts: RunOptions): void {
  if (!opts.wait)
    console.log(opts.json ? JSON.stringify(started) : `started run ${started.runId}\n  ${started.uiUrl}`);
  else if (!opts.json) console.log(`run ${started.runId} started\n  Temporal UI: ${started.uiUrl}`);
}

/**
 * The Temporal client, connected when first needed: a run started over HTTP has printed its id
 * before the client is loaded, so a failure to connect cannot hide which run started.
 */
class LazyTemporal {
  private connected?: Promise<SpecKitClient>;

  constructor(private readonly config: Config) {}

  client(): Promise<SpecKitClient> {
    this.connected ??= import('./temporal.js').then(({ connectTemporal }) => connectTemporal(this.config));
    return this.connected;
  }

  async pollingWorkers(taskQueue: string): Promise<number | undefined> {
    const { pollingWorkers } = await import('./temporal.js');
    return pollingWorkers(await this.client(), taskQueue).catch(() => undefined);
  }

  async close(): Promise<void> {
    await (await this.connected?.catch(() => undefined))?.close();
  }
}

/** A local path is made absolute and must exist: the worker mounts it at the same path. */
function resolveRepo(repo: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo)) return repo;
  const absolute = path.resolve(repo);
  if (!existsSync(absolute)) throw new Error(`repository path ${absolute} does not exist`);
  return absolute;
}
