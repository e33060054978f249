// The help is quick because it loads no package a command needs only when it runs (pg, the
// Temporal client, the worker's runtime): shown here by a copy of the CLI bundle with no
// node_modules to load them from, whose help works and whose commands do not.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireBuiltCli } from '../support/cli.js';

const COMMANDS = [
  'worker',
  'run',
  'status',
  'list',
  'logs',
  'artifacts',
  'cancel',
  'answer',
  'approve',
  'reject',
];

let dir: string;
let bundle: string;

beforeAll(async () => {
  requireBuiltCli();
  dir = await mkdtemp(path.join(os.tmpdir(), 'speckit-cli-help-'));
  await cp(path.dirname(CLI), dir, { recursive: true });
  bundle = path.join(dir, path.basename(CLI));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  return promisify(execFile)('node', [bundle, ...args], { cwd: dir }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

describe('the help', () => {
  it('lists every command without loading any package', async () => {
    const { code, stdout, stderr } = await cli('--help');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it.each(COMMANDS)('of %s shows its options without loading any package', async (command) => {
    const { code, stdout } = await cli(command, '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: speckit-automation ${command}`);
  });

  it('is all such a copy can do: a command that runs needs its packages', async () => {
    const { code, stderr } = await cli('status', 'sk-000000000000');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/Cannot find package '(pg|@temporalio\/client)'/);
  });
});
