// The real embedded stack (Temporal, PostgreSQL, Docker), as `npm run stack:up` leaves it, used with
// a fresh task queue and workspace root per test file so tests never see each other's runs.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { SpecKitClient } from '../../src/client.js';
import { type Config, loadConfig } from '../../src/config.js';
import { LABELS } from '../../src/containers/identity.js';
import { createLogger } from '../../src/logging.js';
import { Redactor } from '../../src/redaction.js';
import type { RunInputRaw } from '../../src/run/input.js';
import type { RunSummary } from '../../src/run/summary.js';
import { readWorkerSecrets } from '../../src/secrets.js';
import { createWorker } from '../../src/worker.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

export const exec = promisify(execFile);

export interface TestStack {
  config: Config;
  client: SpecKitClient;
  db: pg.Pool;
  docker: Docker;
  /** The environment a worker process for this stack needs (task queue, workspace root, overrides, secrets). */
  workerEnv: Record<string, string>;
  /** Starts a run and waits for its end; failed and cancelled runs answer with their summary too. */
  run(input: RunInputRaw): Promise<RunSummary>;
  /**
   * Starts a run of the scripted agent on a fresh sample repository, each phase taking `delaySeconds`:
   * long enough for a test to act while a step runs. `input` adds to or overrides the run's input.
   */
  startSlowRun(
    specifyText: string,
    delaySeconds: number,
    input?: Partial<RunInputRaw>,
  ): Promise<{ runId: string; repo: string }>;
  /** Starts a worker process with workerEnv, `env` added to it; stop() ends those still running. */
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  stop(): Promise<void>;
}

/**
 * `env` overrides the worker's environment, configuration and secrets (GITHUB_TOKEN, agent keys) alike;
 * an empty value unsets a secret this process has.
 * With `inProcessWorker: false` the test starts worker processes itself (startWorker).
 */
export async function startTestStack(
  env: Record<string, string> = {},
  { inProcessWorker = true } = {},
): Promise<TestStack> {
  const workspaceRoot = await mkdtemp(path.join(os.tmpdir(), 'speckit-ws-'));
  const workerEnv = {
    // The shared schedule belongs to the real deployment; test/e2e/retention.test.ts tests its own.
    SPECKIT_RETENTION_SCHEDULE: 'false',
    // The scripted agent's test hooks (agent.options), which production workers refuse.
    SPECKIT_TEST_HOOKS: '1',
    ...env,
    SPECKIT_TASK_QUEUE: `test-${path.basename(workspaceRoot)}`,
    SPECKIT_WORKSPACE_ROOT: workspaceRoot,
  };
  const environment = { ...process.env, ...workerEnv };
  const config = loadConfig(environment);
  const secrets = readWorkerSecrets(environment);
  const redactor = Redactor.fromEnv(environment, secrets);
  const inProcess = inProcessWorker
    ? await createWorker(config, secrets, createLogger('warn', process.stderr, redactor), redactor)
    : undefined;
  const running = inProcess?.run();
  const client = await SpecKitClient.connect(config);
  const db = new pg.Pool({ connectionString: config.databaseUrl });
  db.on('error', () => undefined); // idle connections dropped by the PostgreSQL outage test
  const workers: WorkerProcess[] = [];
  return {
    config,
    client,
    db,
    docker: new Docker(),
    workerEnv,
    async run(input) {
      return client.result((await client.startRun(input)).runId);
    },
    async startSlowRun(specifyText, delaySeconds, input = {}) {
      const repo = await makeSampleRepo();
      const { runId } = await client.startRun({
        repo,
        specifyText,
        agent: { backend: 'scripted', options: { delaySeconds } },
        ...input,
      });
      return { runId, repo };
    },
    async startWorker(env = {}) {
      const worker = await startWorkerProcess({ ...workerEnv, ...env });
      workers.push(worker);
      return worker;
    },
    async stop() {
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      inProcess?.shutdown();
      await running;
      await Promise.all([inProcess?.close(), client.close(), db.end()]);
    },
  };
}

/** A bare remote holding a small real project (scripts/make-sample-repo.sh). */
export async function makeSampleRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'speckit-remote-'));
  const { stdout } = await exec('bash', [path.resolve('scripts/make-sample-repo.sh'), dir]);
  return stdout.trim();
}

/** The steps, in order, of a run with the default phases and publish mode (branch). */
export const DEFAULT_RUN_STEPS = ['clone', 'init', 'specify', 'plan', 'tasks', 'commit', 'push'] as const;

/** The host's git on a repository; workspaces belong to the job user, hence safe.directory. */
export async function git(repo: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', ['-c', 'safe.directory=*', '-C', repo, ...args]);
  return stdout;
}

/** Polls until `check` returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every container of a run, running or not. */
export function containersOf(stack: TestStack, runId: string): Promise<Docker.ContainerInfo[]> {
  return stack.docker.listContainers({ all: true, filters: { label: [`${LABELS.runId}=${runId}`] } });
}

/** Every container Docker created for a run, from the daemon's own event log. */
export async function containersCreated(runId: string, since: number): Promise<string[]> {
  const { stdout } = await exec('docker', [
    'events',
    '--since',
    String(Math.floor(since / 1000) - 1),
    '--until',
    String(Math.ceil(Date.now() / 1000)),
    '--filter',
    'event=create',
    '--filter',
    `label=${LABELS.runId}=${runId}`,
    '--format',
    '{{.Actor.Attributes.name}}',
  ]);
  return stdout.split('\n').filter(Boolean);
}

/** Waits until the container of a run's step is running, and returns it. */
export function runningStepContainer(
  stack: TestStack,
  runId: string,
  step: string,
): Promise<Docker.ContainerInfo> {
  return eventually(
    async () =>
      (
        await stack.docker.listContainers({
          filters: { label: [`${LABELS.runId}=${runId}`, `${LABELS.step}=${step}`], status: ['running'] },
        })
      )[0],
    60_000,
    `the ${step} container of ${runId} to run`,
  );
}

/** `scripts/stack.sh <command>`, for the tests that stop or restart a component for real. */
export function stackScript(command: string): Promise<unknown> {
  return exec('bash', ['scripts/stack.sh', command]);
}

/**
 * A test stack for a whole test file: started before its tests, stopped after them. `restoreStack`:
 * the file stops parts of the shared stack (Docker, PostgreSQL), which are brought up again first.
 */
export function useTestStack(
  env: Record<string, string> = {},
  { restoreStack = false, ...options }: { restoreStack?: boolean; inProcessWorker?: boolean } = {},
): () => TestStack {
  let current: TestStack | undefined;
  beforeAll(async () => {
    current = await startTestStack(env, options);
  });
  afterAll(async () => {
    // Whatever happened, leave a stack that answers for the test files after this one.
    if (restoreStack) await stackScript('up');
    await current?.stop();
  });
  return () => {
    if (!current) throw new Error('the test stack is not started yet');
    return current;
  };
}
