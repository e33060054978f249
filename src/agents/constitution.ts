// The repository's constitution after `specify init` (Decision 1 of the research notes): Spec Kit
// installs its template unless the repository has its own, and a template governs nothing.
// Pure code: the workflow says the advice when a run requires a constitution.
import type { ConstitutionState } from '../run/status.js';

export const CONSTITUTION_FILE = '.specify/memory/constitution.md';

// The template's placeholder tokens, e.g. [PROJECT_NAME], [PRINCIPLE_1_NAME]: the same
// [ALL_CAPS_IDENTIFIER] form Spec Kit's constitution command looks for and fills in.
const PLACEHOLDER = /\[[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\]/;

/** `text`: the file's content, undefined when there is none. */
export function constitutionState(text: string | undefined): ConstitutionState {
  if (text === undefined || text.trim() === '') return 'missing';
  return PLACEHOLDER.test(text) ? 'template' : 'filled';
}

/** What to do about a constitution that is not filled in, said in errors, `status` and pull requests. */
export function constitutionAdvice(state: ConstitutionState): string {
  const found =
    state === 'missing'
      ? `there is no ${CONSTITUTION_FILE}`
      : `${CONSTITUTION_FILE} is still Spec Kit's template`;
  return (
    `${found}, so the spec, plan and tasks follow no project principles. ` +
    "Fill it in with Spec Kit's constitution command (/speckit.constitution in your agent) and commit it to the base branch."
  );
}
