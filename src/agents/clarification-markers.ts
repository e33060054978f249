// The [NEEDS CLARIFICATION: …] markers Spec Kit's spec template asks the agent to leave, and the
// answers an operator gives to them. Pure code.
import type { ClarificationAnswer } from '../run/summary.js';

const MARKER = /\[NEEDS CLARIFICATION:?\s*([^\]]*)\]/g;

/** The questions of the markers in a spec, in the order they appear. */
export function openQuestions(spec: string): string[] {
  return [...spec.matchAll(MARKER)].map((m) => m[1]?.trim() || 'unspecified question');
}

/**
 * The spec with each marker replaced by its answer (the n-th marker by the n-th answer) and the
 * questions recorded as Spec Kit's clarify command records them: a `## Clarifications` section with
 * a `### Session YYYY-MM-DD` and one `- Q: … → A: …` line per question.
 */
export function answerQuestions(spec: string, answers: ClarificationAnswer[], date: Date): string {
  let n = 0;
  const answered = spec.replace(MARKER, (marker) => answers[n++]?.answer ?? marker);
  const session = [
    `### Session ${date.toISOString().slice(0, 10)}`,
    '',
    ...answers.map(({ question, answer }) => `- Q: ${oneLine(question)} → A: ${oneLine(answer)}`),
  ].join('\n');
  const section = /^## Clarifications[ \t]*$/m.exec(answered);
  if (!section) return `${answered.trimEnd()}\n\n## Clarifications\n\n${session}\n`;
  // The session goes last in the section, after the ones earlier runs or clarify recorded.
  const rest = answered.slice(section.index + section[0].length);
  const next = /^## /m.exec(rest);
  const end = section.index + section[0].length + (next ? next.index : rest.length);
  const before = answered.slice(0, end).trimEnd();
  const after = answered.slice(end);
  return `${before}\n\n${session}\n${after ? `\n${after}` : ''}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
