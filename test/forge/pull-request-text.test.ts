import { describe, expect, it } from 'vitest';
import { type PullRequestRun, renderPullRequestText } from '../../src/forge/pull-request-text.js';

const run: PullRequestRun = {
  runId: 'run-42',
  status: 'succeeded',
  repo: 'https://github.com/acme/app.git',
  branch: 'speckit/001-share-lists',
  commit: '0123456789abcdef0123456789abcdef01234567',
  artifactsDir: '/var/lib/speckit-automation/workspaces/runs/run-42/artifacts',
  steps: [
    { name: 'specify', status: 'succeeded', exitCode: 0, durationMs: 12_400 },
    { name: 'plan', status: 'succeeded', exitCode: 0, durationMs: 125_000 },
    { name: 'tasks', status: 'skipped' },
  ],
  featureDescription: '\n  Let users share a list by email  \nRecipients get a link.',
  agent: { backend: 'codex', model: 'gpt-5-codex' },
  constitutionPolicy: 'warn',
};

describe('renderPullRequestText', () => {
  it("titles the pull request with the description's first line", () => {
    expect(renderPullRequestText(run).title).toBe('Spec Kit: Let users share a list by email');
  });

  it('cuts a long first line to 72 characters', () => {
    const { title } = renderPullRequestText({ ...run, featureDescription: 'x'.repeat(100) });
    expect(title).toBe(`Spec Kit: ${'x'.repeat(71)}…`);
  });

  it('fills a title template', () => {
    const { title } = renderPullRequestText(run, '[{runId}] {feature} ({branch}) {unknown}');
    expect(title).toBe('[run-42] Let users share a list by email (speckit/001-share-lists) {unknown}');
  });

  it('describes the run: agent, feature, phase table, run id and artifacts', () => {
    expect(renderPullRequestText(run).body).toBe(
      [
        'Spec Kit ran specify → plan → tasks with the `codex` agent (model `gpt-5-codex`) for:',
        '',
        '> Let users share a list by email',
        '> Recipients get a link.',
        '',
        '| Step | Status | Exit code | Duration |',
        '| --- | --- | --- | --- |',
        '| specify | succeeded | 0 | 12s |',
        '| plan | succeeded | 0 | 2m 5s |',
        '| tasks | skipped |  |  |',
        '',
        'Run `run-42`, status `succeeded`, commit 0123456789abcdef0123456789abcdef01234567. ' +
          'Logs and `summary.json` are in `/var/lib/speckit-automation/workspaces/runs/run-42/artifacts` on the worker.',
        '',
      ].join('\n'),
    );
  });

  it('escapes pipes and line breaks in table cells', () => {
    const { body } = renderPullRequestText({
      ...run,
      steps: [{ name: 'plan', status: 'failed|odd\nstatus', exitCode: 2 }],
    });
    expect(body).toContain('| plan | failed\\|odd status | 2 |  |');
  });

  it('lists open questions only when there are clarifications', () => {
    expect(renderPullRequestText(run).body).not.toContain('Open questions');
    const { body } = renderPullRequestText({
      ...run,
      clarifications: ['Which email provider?', 'Limit on\nrecipients?'],
    });
    expect(body).toMatch(/### Open questions\n\n- Which email provider\?\n- Limit on recipients\?\n$/);
  });

  it('says a template or missing constitution is a governance gap, unless the policy is ignore', () => {
    expect(renderPullRequestText({ ...run, constitution: 'filled' }).body).not.toContain('Governance gap');
    const gap = renderPullRequestText({ ...run, constitution: 'template' }).body;
    expect(gap).toContain('### Governance gap: no constitution');
    expect(gap).toContain(".specify/memory/constitution.md is still Spec Kit's template");
    expect(gap).toContain('/speckit.constitution');
    expect(renderPullRequestText({ ...run, constitution: 'missing' }).body).toContain(
      'there is no .specify/memory/constitution.md',
    );
    expect(
      renderPullRequestText({ ...run, constitution: 'template', constitutionPolicy: 'ignore' }).body,
    ).not.toContain('Governance gap');
  });

  it("lists an operator's answers and approval", () => {
    const { body } = renderPullRequestText({
      ...run,
      answeredClarifications: [{ question: 'Which email\nprovider?', answer: 'SES' }],
      approval: { decision: 'approved', by: 'ana', comment: 'ship it' },
    });
    expect(body).toContain(
      '### Clarifications answered by an operator\n\n- Q: Which email provider? → A: SES',
    );
    expect(body).toContain('Publishing was approved by ana: ship it.');
  });
});
