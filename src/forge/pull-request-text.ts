// The title and body of a run's pull request, rendered from its summary. Pure code.
import { constitutionAdvice } from '../agents/constitution.js';
import type { ConstitutionPolicy } from '../run/input.js';
import type { ConstitutionState } from '../run/status.js';
import type { ApprovalDecision, ClarificationAnswer } from '../run/summary.js';

/** What the pull request tells about a run; mirrors RunSummary (src/run-summary.ts) plus its input. */
export interface PullRequestRun {
  runId: string;
  status: string;
  repo: string;
  branch?: string;
  commit?: string;
  artifactsDir?: string;
  steps: { name: string; status: string; exitCode?: number; durationMs?: number }[];
  featureDescription: string;
  agent: { backend: string; model?: string };
  clarifications?: string[];
  answeredClarifications?: ClarificationAnswer[];
  approval?: ApprovalDecision;
  constitution?: ConstitutionState;
  /** The run's `constitution` option: `ignore` keeps a template constitution out of the body. */
  constitutionPolicy: ConstitutionPolicy;
}

export const DEFAULT_TITLE_TEMPLATE = 'Spec Kit: {feature}';
const MAX_FEATURE_CHARS = 72;

/**
 * `titleTemplate` may use {feature} (the description's first line, at most 72 characters),
 * {runId} and {branch}.
 */
export function renderPullRequestText(
  run: PullRequestRun,
  titleTemplate = DEFAULT_TITLE_TEMPLATE,
): { title: string; body: string } {
  const values: Record<string, string> = {
    feature: featureLine(run.featureDescription),
    runId: run.runId,
    branch: run.branch ?? '',
  };
  const title = titleTemplate.replace(/\{(feature|runId|branch)\}/g, (_, key: string) => values[key] ?? '');
  return { title, body: body(run) };
}

function featureLine(description: string): string {
  const line = description.split('\n').find((l) => l.trim() !== '') ?? '';
  const trimmed = line.trim();
  return trimmed.length <= MAX_FEATURE_CHARS ? trimmed : `${trimmed.slice(0, MAX_FEATURE_CHARS - 1)}…`;
}

function body(run: PullRequestRun): string {
  const model = run.agent.model ? ` (model \`${run.agent.model}\`)` : '';
  const sections = [
    `Spec Kit ran ${run.steps.map((p) => p.name).join(' → ')} with the \`${run.agent.backend}\` agent${model} for:`,
    quote(run.featureDescription),
    table(
      ['Step', 'Status', 'Exit code', 'Duration'],
      run.steps.map((p) => [p.name, p.status, p.exitCode?.toString() ?? '', duration(p.durationMs)]),
    ),
    [
      `Run \`${run.runId}\`, status \`${run.status}\`${run.commit ? `, commit ${run.commit}` : ''}.`,
      run.artifactsDir
        ? `Logs and \`summary.json\` are in \`${run.artifactsDir}\` on the worker.`
        : 'The run kept no artifacts.',
    ].join(' '),
  ];
  if (run.constitution && run.constitution !== 'filled' && run.constitutionPolicy !== 'ignore') {
    sections.push(
      ['### Governance gap: no constitution', '', constitutionAdvice(run.constitution)].join('\n'),
    );
  }
  if (run.answeredClarifications?.length) {
    sections.push(
      [
        '### Clarifications answered by an operator',
        '',
        ...run.answeredClarifications.map(
          ({ question, answer }) => `- Q: ${oneLine(question)} → A: ${oneLine(answer)}`,
        ),
      ].join('\n'),
    );
  }
  if (run.approval?.decision === 'approved') {
    const by = run.approval.by ? ` by ${oneLine(run.approval.by)}` : '';
    const comment = run.approval.comment ? `: ${oneLine(run.approval.comment)}` : '';
    sections.push(`Publishing was approved${by}${comment}.`);
  }
  if (run.clarifications?.length) {
    sections.push(['### Open questions', '', ...run.clarifications.map((q) => `- ${oneLine(q)}`)].join('\n'));
  }
  return `${sections.join('\n\n')}\n`;
}

function quote(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `> ${line}`.trimEnd())
    .join('\n');
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

// A cell is one line; a literal pipe would end it early.
function cell(text: string): string {
  return oneLine(text).replaceAll('|', '\\|');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}
