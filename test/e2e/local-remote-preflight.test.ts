// A local remote the job user cannot write is refused by the preflight, with the fix, before anything
// runs: not as a push that fails late with "remote unpack failed".
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { containersOf, makeSampleRepo, useTestStack } from '../support/test-stack.js';

const exec = promisify(execFile);
const stack = useTestStack();

/** The type of the failure that ended the run, as a program using Temporal sees it. */
async function failureType(runId: string): Promise<string | undefined> {
  const err = await stack()
    .client.temporal.workflow.getHandle(runId)
    .result()
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const activity = (err as WorkflowFailedError).cause;
  expect(activity).toBeInstanceOf(ActivityFailure);
  const cause = (activity as ActivityFailure).cause;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

describe('a local remote the job user cannot write', () => {
  it('fails the run in its preflight with RepositoryNotWritable and the command that fixes it; nothing starts', async () => {
    const remote = await makeSampleRepo(); // root's, writable by everyone
    await exec('chmod', ['-R', 'go-w', remote]);
    const jobUser = stack().config.jobUser;
    const started = Date.now();
    const { runId } = await stack().client.startRun({
      repo: remote,
      specifyText: 'Let users star a list',
      agent: { backend: 'scripted' },
    });
    const run = await stack().client.result(runId);

    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await failureType(runId)).toBe('RepositoryNotWritable');
    expect(run.status).toBe('failed');
    expect(run.error).toContain(
      `repository ${remote} cannot take the run's push: the job user ${jobUser} cannot write ${remote} (owner 0:0, mode 755)`,
    );
    expect(run.error).toContain(`chown -R ${jobUser} ${remote}`);
    expect(run.steps.every((p) => p.status === 'skipped')).toBe(true);
    expect(await containersOf(stack(), runId)).toEqual([]);
    expect(existsSync(path.join(stack().config.workspaceRoot, 'runs', runId))).toBe(false);
  });

  it('is no obstacle to a run that publishes nothing', async () => {
    const remote = await makeSampleRepo();
    await exec('chmod', ['-R', 'go-w', remote]);
    const { runId } = await stack().client.startRun({
      repo: remote,
      specifyText: 'Let users star a list',
      agent: { backend: 'scripted' },
      phases: ['specify'],
      publish: { mode: 'none' },
    });
    expect((await stack().client.result(runId)).status).toBe('succeeded');
  });
});
