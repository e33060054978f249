// What the stand-in "model" does in each Spec Kit phase, whatever the provider: it runs Spec Kit's
// own scripts through the agent's shell tool, writes the phase's document (the agent's write tool
// where it offers one), then answers with a final message. Stateless: the step is the number of
// tool results the conversation holds so far.
//
// nextAction({ text, toolOutputs, mode }) returns one of
//   { kind: 'shell', command }                 run a command in the repository
//   { kind: 'write', path, content }           write a file (path absolute or relative to the repo)
//   { kind: 'final', text }                    end the turn

const PHASE = /[$/]speckit[-.](specify|clarify|plan|tasks|analyze|implement)\b([^\n]*)/;
const SCRIPTS = '.specify/scripts/bash';

// Agents whose commands are prompt templates (gemini's .gemini/commands/*.toml) send the command's
// body instead of the invocation. Spec Kit's bodies quote the arguments in their "User Input" block
// and name their own extension hooks (`hooks.before_<command>`), which is how the phase is known.
const EXPANDED =
  /## User Input\s*```text\n([\s\S]*?)\n?```[\s\S]*?`hooks\.before_(specify|clarify|plan|tasks|analyze|implement)`/;
const PLACEHOLDER = /^(\$ARGUMENTS|\{\{args\}\}|\{ARGS\})$/;

/** The Spec Kit phase the conversation asks for and its arguments, from the text of its user messages. */
export function phaseOf(text) {
  const body = EXPANDED.exec(text);
  if (body && !PLACEHOLDER.test(body[1].trim())) return { phase: body[2], args: body[1].trim() };
  const m = PHASE.exec(text);
  if (m) return { phase: m[1], args: m[2].replace(/<\/?[a-z-]+>/g, ' ').trim() };
  return body ? { phase: body[2], args: '' } : undefined;
}

/** The last JSON object printed in a tool's output (Spec Kit's scripts print one with --json). */
export function lastJson(output) {
  const matches = String(output).match(/\{[^{}]*"[A-Z_]+"[^{}]*\}/g) ?? [];
  for (const m of matches.reverse()) {
    try {
      return JSON.parse(m);
    } catch {}
  }
  return {};
}

export function quote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

export function nextAction({ text, toolOutputs, mode }) {
  const request = phaseOf(text);
  if (mode === 'nothing' || !request) return { kind: 'final', text: 'Done.' };
  const step = toolOutputs.length;
  const steps = PHASES[request.phase];
  return step < steps.length
    ? steps[step](request.args, toolOutputs)
    : { kind: 'final', text: FINAL[request.phase] };
}

const FINAL = {
  specify: 'The specification is ready for planning.',
  clarify: 'No critical ambiguities remain.',
  plan: 'The implementation plan is written.',
  tasks: 'The task list is written.',
  analyze:
    '## Specification Analysis Report\n\nNo critical issues found across spec.md, plan.md and tasks.md.',
  implement: 'All tasks are implemented and marked done.',
};

const PHASES = {
  specify: [
    (args) => ({ kind: 'shell', command: `bash ${SCRIPTS}/create-new-feature.sh --json ${quote(args)}` }),
    (args, out) => ({ kind: 'write', path: lastJson(out[0]).SPEC_FILE, content: spec(args) }),
  ],
  clarify: [
    (_, __) => ({ kind: 'shell', command: `bash ${SCRIPTS}/check-prerequisites.sh --json --paths-only` }),
  ],
  plan: [
    () => ({ kind: 'shell', command: `bash ${SCRIPTS}/setup-plan.sh --json` }),
    (_, out) => ({ kind: 'write', path: lastJson(out[0]).IMPL_PLAN, content: PLAN }),
  ],
  tasks: [
    () => ({ kind: 'shell', command: `bash ${SCRIPTS}/check-prerequisites.sh --json` }),
    (_, out) => ({ kind: 'write', path: `${lastJson(out[0]).FEATURE_DIR}/tasks.md`, content: TASKS }),
  ],
  analyze: [
    () => ({
      kind: 'shell',
      command: `bash ${SCRIPTS}/check-prerequisites.sh --json --require-tasks --include-tasks`,
    }),
  ],
  implement: [
    () => ({
      kind: 'shell',
      command: `bash ${SCRIPTS}/check-prerequisites.sh --json --require-tasks --include-tasks`,
    }),
    (_, out) => ({
      kind: 'shell',
      command: `sed -i 's/^- \\[ \\]/- [x]/' ${quote(`${lastJson(out[0]).FEATURE_DIR}/tasks.md`)}`,
    }),
  ],
};

const spec = (description) => `# Feature Specification

**Input**: ${description}

## User Scenarios & Testing

### User Story 1 (Priority: P1)

A user can do what the description asks: ${description}

## Requirements

- **FR-001**: The system MUST ${description.replace(/\.$/, '').toLowerCase()}.

## Success Criteria

- **SC-001**: Users complete the task in under a minute.
`;

const PLAN = `# Implementation Plan

## Summary

Build the feature described in spec.md in the existing project.

## Technical Context

**Language/Version**: as in the repository
**Testing**: the repository's test runner
`;

const TASKS = `# Tasks

## Phase 1: Setup

- [ ] T001 Create the feature's module
- [ ] T002 [P] Add tests for the feature

## Phase 2: User Story 1

- [ ] T003 Implement User Story 1
`;

/** An action as a shell command, for agents whose only tool is a shell. */
export function asShell(action) {
  if (action.kind !== 'write') return action.command;
  return `mkdir -p "$(dirname ${quote(action.path)})" && cat > ${quote(action.path)} <<'SPECKIT_STANDIN_EOF'\n${action.content}SPECKIT_STANDIN_EOF`;
}
