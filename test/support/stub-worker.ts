// The real workflow code on the stack's Temporal server, with stub activities instead of
// containers: a workflow's decisions tested in seconds. One worker serves a whole test file; each
// run gets its own stubs, found by its workflow id.
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import type { Activities } from '../../src/activities/index.js';
import type { RunInputRaw } from '../../src/run/input.js';
import { specKitRun } from '../../src/workflows/spec-kit-run.js';

export const TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';

/** The `temporal` CLI setup builds, as operators use it, against the stack's server. */
export async function temporalCli(...args: string[]): Promise<string> {
  const bin = path.join(
    process.env.SPECKIT_CACHE_DIR ?? path.join(os.homedir(), '.cache/speckit-automation'),
    'bin/temporal',
  );
  const { stdout } = await promisify(execFile)(bin, [...args, '--address', TEMPORAL_ADDRESS]);
  return stdout;
}

const STUBBED = [
  'preflight',
  'prepareRun',
  'finishRun',
  'recordStatus',
  'cloneRepo',
  'initSpecKit',
  'runAgentPhase',
  'writeClarifications',
  'commitChanges',
  'pushBranch',
  'openPullRequest',
  'claimHost',
  'hostAlive',
  'restoreWorkspace',
] as const;
export type Stubs = Pick<Activities, (typeof STUBBED)[number]>;

export const outcome = { exitCode: 0, durationMs: 5, containerId: 'c' };

/** Activities that all succeed, with `overrides` on top. */
export function stubs(overrides: Partial<Stubs> = {}): Stubs {
  return {
    preflight: async () => undefined,
    prepareRun: async () => ({ agent: { backend: 'scripted' }, artifactsDir: '/tmp/a' }),
    finishRun: async () => ({ containersRemoved: 0 }),
    recordStatus: async () => undefined,
    cloneRepo: async () => ({ outcome }),
    initSpecKit: async () => ({ outcome, constitution: 'filled' }),
    runAgentPhase: async () => ({ outcome, featureDir: 'specs/001-x', clarifications: [] }),
    writeClarifications: async () => ({ open: [] }),
    commitChanges: async () => ({
      outcome,
      changed: true,
      branch: 'speckit/001-x',
      commit: 'abc',
      diffStat: ' specs/001-x/spec.md | 10 ++++++++++\n 1 file changed, 10 insertions(+)',
    }),
    pushBranch: async ({ branch }) => ({ outcome, branch }),
    openPullRequest: async () => ({ url: 'https://github.test/o/r/pull/1', number: 1, created: true }),
    // The stub worker is the only host: its queue serves the workspace steps too.
    claimHost: async () => ({ hostId: 'stub-host', taskQueue: Context.current().info.taskQueue }),
    hostAlive: async () => false,
    restoreWorkspace: async () => ({ artifactsDir: '/tmp/a' }),
    ...overrides,
  };
}

export interface StubWorker {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundle;
  /** Starts a specKitRun served by `activities`. */
  start(activities: Stubs, input?: Partial<RunInputRaw>): Promise<WorkflowHandle<typeof specKitRun>>;
  stop(): Promise<void>;
}

export async function startStubWorker(name: string): Promise<StubWorker> {
  const quiet = new DefaultLogger('WARN');
  Runtime.install({ logger: quiet });
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: TEMPORAL_ADDRESS });
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.resolve('src/workflows/index.ts'),
    logger: quiet,
  });
  const taskQueue = `${name}-${process.pid}`;
  const stubsOf = new Map<string, Stubs>();
  const dispatch = (activity: keyof Stubs) => (arg: never) => {
    const run = stubsOf.get(Context.current().info.workflowExecution?.workflowId ?? '') as Stubs;
    return (run[activity] as (a: never) => unknown)(arg);
  };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: Object.fromEntries(STUBBED.map((activity) => [activity, dispatch(activity)])),
  });
  const running = worker.run();
  return {
    env,
    bundle,
    async start(activities, input = {}) {
      const workflowId = `${name}-${Math.random().toString(36).slice(2)}`;
      stubsOf.set(workflowId, activities);
      return env.client.workflow.start(specKitRun, {
        taskQueue,
        workflowId,
        args: [{ repo: '/srv/git/sample.git', specifyText: 'Add colours', ...input }],
      });
    },
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** A stub worker for a whole test file: started before its tests, stopped after them. */
export function useStubWorker(name: string): Omit<StubWorker, 'stop'> {
  let current: StubWorker | undefined;
  beforeAll(async () => {
    current = await startStubWorker(name);
  });
  afterAll(async () => {
    await current?.stop();
  });
  const started = (): StubWorker => {
    if (!current) throw new Error('the stub worker is not started yet');
    return current;
  };
  return {
    get env() {
      return started().env;
    },
    get bundle() {
      return started().bundle;
    },
    start: (activities, input) => started().start(activities, input),
  };
}
