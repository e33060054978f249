import { parseRepoSlug } from './forge/repo-slug.js';
import { InvalidRunInputError, type RunInput } from './run/input.js';

/**
 * A pull request needs a GitHub repository. Checked by the client before a run starts and by the
 * run's preflight (for runs started elsewhere), not in the workflow: URL parsing is host code.
 */
export function assertPublishable(input: RunInput): void {
  if (input.publish.mode !== 'pr') return;
  try {
    parseRepoSlug(input.repo);
  } catch (err) {
    throw new InvalidRunInputError([`repo: ${(err as Error).message}`]);
  }
}
