// A worker of the project's own, started by the bench (the built CLI's `worker` command) on a task
// queue and workspace root no one else uses, and its memory as the kernel counts it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { CLI } from './paths.js';
import { type Memory, processMemory } from './proc-usage.js';

const STARTUP_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

export class BenchWorker {
  private constructor(
    private readonly child: ChildProcess,
    readonly taskQueue: string,
    private readonly exited: Promise<void>,
  ) {}

  get pid(): number {
    return this.child.pid as number;
  }

  static async start(opts: {
    taskQueue: string;
    workspaceRoot: string;
    logFile: string;
    env?: Record<string, string>;
  }): Promise<BenchWorker> {
    const log = createWriteStream(opts.logFile);
    // As the worker image runs it (images/worker/Dockerfile: NODE_OPTIONS, MALLOC_ARENA_MAX).
    const child = spawn(process.execPath, ['--max-semi-space-size=2', CLI, 'worker'], {
      env: {
        ...process.env,
        MALLOC_ARENA_MAX: '1',
        SPECKIT_TASK_QUEUE: opts.taskQueue,
        SPECKIT_WORKSPACE_ROOT: opts.workspaceRoot,
        SPECKIT_AGENT: 'scripted',
        // The line that says it is ready is an info line.
        LOG_LEVEL: 'info',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let said = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`worker not started after ${STARTUP_TIMEOUT_MS / 1000}s:\n${said.slice(-2000)}`)),
        STARTUP_TIMEOUT_MS,
      );
      const watch = (chunk: Buffer) => {
        log.write(chunk);
        if (said.length < 64 * 1024) said += chunk.toString();
        if (said.includes('"worker started"')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', watch);
      child.stderr?.on('data', watch);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`worker exited at start (code ${child.exitCode}):\n${said.slice(-2000)}`));
      });
    });
    await ready;
    return new BenchWorker(child, opts.taskQueue, exited);
  }

  memory(): Promise<Memory> {
    return processMemory(this.pid);
  }

  /** SIGTERM (the worker drains and stops), SIGKILL if it has not after a while. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Samples a process's resident size until stopped: the peak of a stretch of time, not since start. */
export class MemorySampler {
  private timer?: NodeJS.Timeout;
  peakRssKb = 0;

  constructor(
    private readonly process: { memory(): Promise<Memory> },
    private readonly everyMs = 100,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      void this.process.memory().then(
        (m) => {
          this.peakRssKb = Math.max(this.peakRssKb, m.rssKb);
        },
        () => undefined,
      );
    }, this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
