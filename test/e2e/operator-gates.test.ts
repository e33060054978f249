// An operator answers a run's questions and approves or rejects publishing, with the product's CLI,
// on the real stack: the scripted agent in job containers, a local bare remote, PostgreSQL.
import { describe, expect, it } from 'vitest';
import { spawnCli, useCliStack } from '../support/cli.js';
import { eventually, git, makeSampleRepo } from '../support/test-stack.js';

const { stack, cli } = useCliStack();

async function start(remote: string, ...options: string[]): Promise<string> {
  const { code, stdout, stderr } = await cli(
    'run',
    '--repo',
    remote,
    '--text',
    'Share lists with teams',
    '--agent',
    'scripted',
    '--json',
    ...options,
  );
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout).runId;
}

async function statusWhen(runId: string, status: string) {
  return eventually(
    async () => {
      const { stdout } = await cli('status', runId, '--json');
      const run = JSON.parse(stdout);
      return run.status === status && run;
    },
    90_000,
    `run ${runId} to be ${status}`,
  );
}

const finished = (runId: string) => stack().client.result(runId);

describe('clarification: wait', () => {
  it('waits with the questions, is answered with the CLI and goes on with the answers in the spec', async () => {
    const remote = await makeSampleRepo();
    const runId = await start(remote, '--clarification', 'wait', '--agent-options', '{"clarifications":2}');
    const waiting = await statusWhen(runId, 'awaiting_clarification');
    const questions: string[] = waiting.waitingFor.questions;
    expect(questions).toHaveLength(2);
    const human = await cli('status', runId);
    expect(human.stdout).toContain(`waiting:   for answers to the spec's questions`);
    expect(human.stdout).toContain(`1. ${questions[0]}`);
    expect(human.stdout).toContain(`speckit-automation answer ${runId} --answer "…" --answer "…"`);
    expect(waiting.steps.map((s: { step: string }) => s.step)).toEqual(['clone', 'init', 'specify']);

    const short = await cli('answer', runId, '--answer', 'Teams of up to 20 people');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/refused: the run asks 2 question\(s\) and got 1 answer\(s\)/);

    const answered = await cli(
      'answer',
      runId,
      '--answer',
      'Teams of up to 20 people',
      '--answer',
      'Read-only',
    );
    expect(answered.stderr).toBe('');
    expect(answered.stdout).toBe(
      `run ${runId}: answers accepted; the answers are written into spec.md, then the run goes on with plan\n`,
    );
    const summary = await finished(runId);
    expect(summary.status).toBe('succeeded');
    expect(summary.answeredClarifications?.map((a) => a.answer)).toEqual([
      'Teams of up to 20 people',
      'Read-only',
    ]);

    const spec = await git(remote, 'show', `${summary.branch}:specs/001-share-lists-teams/spec.md`);
    expect(spec).not.toContain('NEEDS CLARIFICATION');
    expect(spec).toContain('Teams of up to 20 people');
    expect(spec).toMatch(
      /## Clarifications\n\n### Session \d{4}-\d\d-\d\d\n\n- Q: .+ → A: Teams of up to 20 people\n- Q: .+ → A: Read-only/,
    );
    const again = await cli('answer', runId, '--answer', 'x', '--answer', 'y');
    expect(again.stderr).toMatch(/is not running: it has finished/);
  });
});

describe('requireApproval', () => {
  it('run --wait shows the diff stat and the commands; approve publishes the branch', async () => {
    const remote = await makeSampleRepo();
    const waiting = spawnCli(
      [
        'run',
        '--repo',
        remote,
        '--text',
        'Print the list',
        '--agent',
        'scripted',
        '--require-approval',
        '--wait',
      ],
      { SPECKIT_TASK_QUEUE: stack().config.temporal.taskQueue },
    );
    const runId = await eventually(
      async () => /run (sk-\w+) started/.exec(waiting.output())?.[1],
      30_000,
      'run id',
    );
    await eventually(
      async () => waiting.output().includes('approve:   speckit-automation approve'),
      90_000,
      'approval wait',
    );
    expect(waiting.output()).toMatch(
      /waiting: {3}for approval to publish speckit\/001-print-list[\s\S]*files? changed/,
    );
    expect(await git(remote, 'branch', '--list', 'speckit/*')).toBe('');

    const approved = await cli('approve', runId, '--comment', 'looks right');
    expect(approved.stdout).toBe(`run ${runId}: approved; the run publishes its branch now\n`);
    expect(await waiting.exited).toBe(0);
    const summary = await finished(runId);
    expect(summary).toMatchObject({
      status: 'succeeded',
      approval: { decision: 'approved', comment: 'looks right' },
    });
    expect((await git(remote, 'rev-parse', summary.branch ?? '')).trim()).toBe(summary.commit);
  });

  it('reject ends the run rejected with the reason, nothing pushed, recorded', async () => {
    const remote = await makeSampleRepo();
    const runId = await start(remote, '--require-approval');
    await statusWhen(runId, 'awaiting_approval');
    const noReason = await cli('reject', runId);
    expect(noReason.code).toBe(2);
    const rejected = await cli('reject', runId, '--reason', 'out of scope');
    expect(rejected.stdout).toBe(`run ${runId}: rejected; the run ends rejected; nothing is pushed\n`);
    const summary = await finished(runId);
    expect(summary.status).toBe('rejected');
    expect(await git(remote, 'branch', '--list', 'speckit/*')).toBe('');
    const recorded = await statusWhen(runId, 'rejected');
    expect(recorded.reason).toBe('rejected before publishing: out of scope');
  });
});

describe('constitution policy', () => {
  it('records a template constitution (warn); require fails before the phases with the advice', async () => {
    const remote = await makeSampleRepo();
    const warned = await finished(await start(remote));
    expect(warned).toMatchObject({ status: 'succeeded', constitution: 'template' });
    const row = await statusWhen(warned.runId, 'succeeded');
    expect(row.constitution).toBe('template');

    const runId = await start(remote, '--constitution', 'require');
    const required = await finished(runId);
    expect(required.status).toBe('failed');
    expect(required.error).toMatch(
      /constitution: require.*still Spec Kit's template.*\/speckit\.constitution/,
    );
    expect(required.steps.find((p) => p.name === 'specify')?.status).toBe('skipped');
    const status = await cli('status', runId);
    expect(status.stdout).toMatch(/constitution: template \(governance gap: /);
  });
});
