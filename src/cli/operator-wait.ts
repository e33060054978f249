import type { OperatorWait } from '../run/summary.js';
import { time } from './format.js';

/** What a run waits for and the command that lets it go on: for `status` and `run --wait`. */
export function operatorWaitLines(runId: string, wait: OperatorWait): string[] {
  const until = `since ${time(new Date(wait.since))}, until ${time(new Date(wait.deadline))}`;
  if (wait.kind === 'clarification') {
    return [
      `  waiting:   for answers to the spec's questions (${until}):`,
      ...wait.questions.map((q, i) => `    ${i + 1}. ${q}`),
      `  answer:    speckit-automation answer ${runId} ${wait.questions.map(() => '--answer "…"').join(' ')}`,
    ];
  }
  return [
    `  waiting:   for approval to publish${wait.branch ? ` ${wait.branch}` : ''} (${until}):`,
    ...wait.diffStat.split('\n').map((line) => `    ${line}`),
    `  approve:   speckit-automation approve ${runId}`,
    `  reject:    speckit-automation reject ${runId} --reason "…"`,
  ];
}
