import { describe, expect, it } from 'vitest';
import { runCli, useCliStack } from '../support/cli.js';
import { DEFAULT_RUN_STEPS, git, makeSampleRepo } from '../support/test-stack.js';

const { stack } = useCliStack();

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { SPECKIT_TASK_QUEUE: stack().config.temporal.taskQueue, ...env });

/** `run` of the scripted agent on a fresh sample repository, waiting for the end. */
async function runOnSampleRepo(text: string, ...flags: string[]) {
  const remote = await makeSampleRepo();
  const args = ['--repo', remote, '--text', text, '--agent', 'scripted', '--wait', ...flags];
  return { remote, ...(await cli(['run', ...args])) };
}

describe('speckit-automation run', () => {
  it('--wait --json prints one JSON object describing the finished run and exits 0', async () => {
    const { remote, code, stdout } = await runOnSampleRepo('Export the to-do list as CSV', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual([
      'runId',
      'workflowId',
      'status',
      'branch',
      'commit',
      'artifactsDir',
      'error',
      'reason',
      'constitution',
      'answeredClarifications',
      'approval',
      'steps',
    ]);
    expect(report).toMatchObject({ status: 'succeeded', workflowId: report.runId, error: null });
    expect(report.steps.map((p: { name: string }) => p.name)).toEqual(DEFAULT_RUN_STEPS);
    expect(report.steps[2]).toEqual({
      name: 'specify',
      status: 'succeeded',
      exitCode: 0,
      durationMs: expect.any(Number),
    });
    expect((await git(remote, 'rev-parse', report.branch)).trim()).toBe(report.commit);
  });

  it('without --json a person sees each phase as it happens, and a failed run exits non-zero', async () => {
    const { code, stdout } = await runOnSampleRepo(
      'Archive finished items',
      '--agent-options',
      '{"failPhase":"tasks","failExitCode":9}',
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/✔ specify +succeeded/);
    expect(stdout).toMatch(/✖ tasks +failed \(exit 9/);
    expect(stdout).toMatch(/- commit +skipped/);
    expect(stdout).toMatch(/run sk-[0-9a-f]{12}: failed/);
    expect(stdout).toMatch(/Temporal UI: http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/sk-/);
  });

  it.each([
    [['--phases', 'specify,deploy'], /phases\.1: Invalid option/],
    [['--agent', 'gpt'], /argument 'gpt' is invalid. Allowed choices are codex, claude/],
    [['--text-file', '/etc/hostname'], /exactly one of --text or --text-file/],
    [['--agent', 'scripted', '--agent-options', '{"nap":1}'], /Unrecognized key: "nap"/],
    [['--base', '../evil'], /baseBranch: is not a valid git branch name/],
  ])('rejects %j before contacting anything', async (extra, message) => {
    // An unreachable Temporal address proves validation happens before any connection.
    const { code, stderr } = await cli(['run', '--repo', '/tmp', '--text', 'Anything', ...extra], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });

  it('rejects a repository path that does not exist', async () => {
    const { code, stderr } = await cli(['run', '--repo', './no/such/repo', '--text', 'x'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/repository path .*no\/such\/repo does not exist/);
  });
});
