// Bundles the workflow code once, at build time (`npm run build`), into dist/workflow-bundle.js:
// a worker given the bundle starts without webpack, which otherwise runs at every worker start and
// leaves its memory behind (README: Benchmarks).
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOW_BUNDLE, WORKFLOWS_PATH } from './workflow-code.js';

const { code } = await bundleWorkflowCode({
  workflowsPath: WORKFLOWS_PATH,
  logger: new DefaultLogger('WARN'),
});
await writeFile(fileURLToPath(WORKFLOW_BUNDLE), code);
