// Child processes, timed: every side of the bench is measured as wall time around real processes.
import { spawn } from 'node:child_process';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From spawning to the process's exit. */
  ms: number;
  /** Wall clock (Date.now()) at spawn, to compare with timestamps other processes recorded. */
  spawnedAt: number;
  /** performance.now() when stdout last received data: how long the process lived after printing. */
  lastStdoutAt?: number;
  exitedAt: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Keep at most this much of each stream (large outputs are not the point of any measurement). */
  keepBytes?: number;
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<Finished> {
  const keep = opts.keepBytes ?? 256 * 1024;
  return new Promise((resolve, reject) => {
    const spawnedAt = Date.now();
    const start = performance.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lastStdoutAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      lastStdoutAt = performance.now();
      if (stdout.length < keep) stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < keep) stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const exitedAt = performance.now();
      resolve({ code, stdout, stderr, ms: exitedAt - start, spawnedAt, lastStdoutAt, exitedAt });
    });
  });
}

/** Like run, but a failure is an error that says what failed and how. */
export async function check(cmd: string, args: string[], opts: RunOptions = {}): Promise<Finished> {
  const done = await run(cmd, args, opts);
  if (done.code !== 0) {
    const said = `${done.stderr}\n${done.stdout}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}… exited ${done.code}:\n${said}`);
  }
  return done;
}
