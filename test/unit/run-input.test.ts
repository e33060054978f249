import { describe, expect, it } from 'vitest';
import { InvalidRunInputError, MAX_SPECIFY_TEXT_CHARS, parseRunInput } from '../../src/run/input.js';

const valid = { repo: 'https://github.com/acme/app.git', specifyText: 'Add photo albums' };

function problemsOf(raw: unknown): string[] {
  try {
    parseRunInput(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidRunInputError);
    return (err as InvalidRunInputError).problems;
  }
  throw new Error('expected the input to be rejected');
}

describe('run input validation', () => {
  it('fills defaults: main, specify-plan-tasks, branch publishing, worker agent', () => {
    expect(parseRunInput(valid)).toEqual({
      ...valid,
      baseBranch: 'main',
      phases: ['specify', 'plan', 'tasks'],
      publish: { mode: 'branch' },
      clarification: 'ignore',
      requireApproval: false,
      constitution: 'warn',
      timeouts: {
        agentPhaseSeconds: 1800,
        gitStepSeconds: 300,
        heartbeatSeconds: 30,
        agentStallSeconds: 300,
        clarificationWaitSeconds: 7 * 86_400,
        approvalWaitSeconds: 7 * 86_400,
        hostWaitSeconds: 120,
      },
    });
  });

  it('accepts per-run timeouts within bounds', () => {
    expect(parseRunInput({ ...valid, timeouts: { heartbeatSeconds: 5 } }).timeouts.heartbeatSeconds).toBe(5);
    expect(problemsOf({ ...valid, timeouts: { agentPhaseSeconds: 1 } })[0]).toMatch(
      /timeouts.agentPhaseSeconds/,
    );
  });

  it.each([
    ['/srv/git/app.git'],
    ['file:///srv/git/app.git'],
    ['git@github.com:acme/app.git'],
    ['ssh://git@github.com/acme/app.git'],
  ])('accepts repo %s', (repo) => {
    expect(parseRunInput({ ...valid, repo }).repo).toBe(repo);
  });

  it.each([
    ['', /repo is empty/],
    ['relative/path', /must be an https/],
    ['https://x-access-token:ghp_secret@github.com/acme/app.git', /must not carry credentials/],
    ['https://github.com/acme/my app', /whitespace/],
  ])('rejects repo %j', (repo, message) => {
    expect(problemsOf({ ...valid, repo }).join('\n')).toMatch(message);
  });

  it('rejects empty and oversized descriptions', () => {
    expect(problemsOf({ ...valid, specifyText: '   ' })).toEqual([
      'specifyText: the feature description is empty',
    ]);
    expect(problemsOf({ ...valid, specifyText: 'x'.repeat(MAX_SPECIFY_TEXT_CHARS + 1) })[0]).toMatch(
      /longer than/,
    );
  });

  it('rejects unknown phases and agents, naming the allowed values', () => {
    expect(problemsOf({ ...valid, phases: ['specify', 'deploy'] })[0]).toMatch(/phases.1: .*"specify"/);
    expect(problemsOf({ ...valid, agent: { backend: 'gpt' } })[0]).toMatch(/agent.backend: .*"codex"/);
  });

  it('orders phases as Spec Kit does and requires their prerequisites', () => {
    expect(parseRunInput({ ...valid, phases: ['tasks', 'plan', 'specify'] }).phases).toEqual([
      'specify',
      'plan',
      'tasks',
    ]);
    expect(problemsOf({ ...valid, phases: ['specify', 'tasks'] })).toEqual([
      'phases: phase tasks needs phase plan in the same run',
    ]);
  });

  it('rejects bad branch names, unknown fields and unsupported publish modes', () => {
    expect(problemsOf({ ...valid, baseBranch: 'main;rm -rf /' })[0]).toMatch(
      /baseBranch: is not a valid git branch/,
    );
    expect(problemsOf({ ...valid, token: 'x' })[0]).toMatch(/Unrecognized key.*token/);
    expect(problemsOf({ ...valid, publish: { mode: 'draft' } })[0]).toMatch(/publish.mode: Invalid option/);
    expect(problemsOf({ ...valid, clarification: 'later' })[0]).toMatch(/clarification: Invalid option/);
    expect(problemsOf({ ...valid, constitution: 'must' })[0]).toMatch(/constitution: Invalid option/);
  });

  it('refuses approval of a run that publishes nothing', () => {
    expect(parseRunInput({ ...valid, requireApproval: true }).requireApproval).toBe(true);
    expect(problemsOf({ ...valid, requireApproval: true, publish: { mode: 'none' } })).toEqual([
      'requireApproval: publish mode none publishes nothing, so there is nothing to approve: use branch or pr',
    ]);
  });

  it('accepts scripted agent options and rejects unknown ones', () => {
    const agent = { backend: 'scripted', options: { delaySeconds: 1, failPhase: 'plan', failExitCode: 3 } };
    expect(parseRunInput({ ...valid, agent }).agent).toEqual(agent);
    expect(problemsOf({ ...valid, agent: { backend: 'scripted', options: { sleep: 1 } } })[0]).toMatch(
      /sleep/,
    );
  });
});
