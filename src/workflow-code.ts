import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `.ts` under vitest, `.js` once built: the workflow bundle starts from the sibling index file.
export const WORKFLOWS_PATH = fileURLToPath(
  new URL(`./workflows/index${import.meta.url.slice(-3)}`, import.meta.url),
);

/** Written by `npm run build` (bundle-workflows.ts). */
export const WORKFLOW_BUNDLE = new URL('./workflow-bundle.js', import.meta.url);

/** The built bundle when there is one; else the sources, which the worker bundles at its start. */
export function workflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const codePath = fileURLToPath(WORKFLOW_BUNDLE);
  return existsSync(codePath) ? { workflowBundle: { codePath } } : { workflowsPath: WORKFLOWS_PATH };
}
