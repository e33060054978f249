export { retentionSweep } from './retention-sweep.js';
export { specKitRun } from './spec-kit-run.js';
