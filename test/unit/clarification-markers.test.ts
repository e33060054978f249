import { describe, expect, it } from 'vitest';
import { answerQuestions, openQuestions } from '../../src/agents/clarification-markers.js';

const spec = `# Feature Specification: Share lists

## Requirements

- FR-001: Users can share a list by email [NEEDS CLARIFICATION: which email provider?]
- FR-002: A share link expires after [NEEDS CLARIFICATION: how long?]
`;
const date = new Date('2026-11-25T10:00:00Z');

describe('clarification markers', () => {
  it('lists the questions in the order they appear', () => {
    expect(openQuestions(spec)).toEqual(['which email provider?', 'how long?']);
    expect(openQuestions('[NEEDS CLARIFICATION]')).toEqual(['unspecified question']);
  });

  it('replaces each marker by its answer and records the session as Spec Kit clarify does', () => {
    const answered = answerQuestions(
      spec,
      [
        { question: 'which email provider?', answer: 'Amazon SES' },
        { question: 'how long?', answer: 'seven days' },
      ],
      date,
    );
    expect(openQuestions(answered)).toEqual([]);
    expect(answered).toContain('share a list by email Amazon SES\n');
    expect(answered).toContain('expires after seven days\n');
    expect(answered).toMatch(
      /\n## Clarifications\n\n### Session 2026-11-25\n\n- Q: which email provider\? → A: Amazon SES\n- Q: how long\? → A: seven days\n$/,
    );
  });

  it('adds the session last in an existing Clarifications section', () => {
    const withSection = `${spec}\n## Clarifications\n\n### Session 2026-11-01\n\n- Q: old? → A: yes\n\n## Notes\n\nkept\n`;
    const answered = answerQuestions(
      withSection,
      [
        { question: 'which email provider?', answer: 'SES' },
        { question: 'how long?', answer: 'a week' },
      ],
      date,
    );
    expect(answered.match(/## Clarifications/g)).toHaveLength(1);
    expect(answered).toContain(
      '- Q: old? → A: yes\n\n### Session 2026-11-25\n\n- Q: which email provider? → A: SES\n- Q: how long? → A: a week\n\n## Notes\n\nkept\n',
    );
  });
});
