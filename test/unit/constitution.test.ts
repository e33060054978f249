import { describe, expect, it } from 'vitest';
import { constitutionAdvice, constitutionState } from '../../src/agents/constitution.js';

describe('constitutionState', () => {
  it("recognises Spec Kit's template by its placeholder tokens", () => {
    // The shape of Spec Kit's template; test/e2e/operator-gates.test.ts checks the one init installs.
    const template =
      '# [PROJECT_NAME] Constitution\n\n## Core Principles\n\n### [PRINCIPLE_1_NAME]\n[PRINCIPLE_1_DESCRIPTION]\n';
    expect(constitutionState(template)).toBe('template');
  });

  it('takes a constitution without placeholders as filled in', () => {
    const filled =
      '# TaskFlow Constitution\n\n## Core Principles\n\n### I. Library-First\nEvery feature is a library. See [RFC] 1.\n';
    expect(constitutionState(filled)).toBe('filled');
  });

  it('reports a missing or empty file as missing, with the command that fills it in', () => {
    expect(constitutionState(undefined)).toBe('missing');
    expect(constitutionState('  \n')).toBe('missing');
    expect(constitutionAdvice('missing')).toMatch(
      /no \.specify\/memory\/constitution\.md.*\/speckit\.constitution/,
    );
  });
});
