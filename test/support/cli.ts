// The built CLI (`npm run build`), run as an operator runs it: a separate process, real exit codes.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll } from 'vitest';
import { useTestStack } from './test-stack.js';

export const CLI = path.resolve('dist/bin/speckit-automation.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err.code as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

export interface SpawnedCli {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved as they arrived. */
  output(): string;
  /** The exit code (null when a signal killed it). */
  exited: Promise<number | null>;
}

/** The built CLI as a running process, for what a command prints while it waits, and signals. */
export function spawnCli(args: string[], env: Record<string, string> = {}): SpawnedCli {
  const child = spawn('node', [CLI, ...args], { env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * A test stack for a file of CLI tests, started before them and stopped after, and the built CLI
 * pointed at its worker's task queue.
 */
export function useCliStack(env: Record<string, string> = {}) {
  beforeAll(requireBuiltCli);
  const stack = useTestStack(env);
  return {
    stack,
    cli: (...args: string[]) => runCli(args, { SPECKIT_TASK_QUEUE: stack().config.temporal.taskQueue }),
  };
}
