export { specKitRun } from './spec-kit-run.js';
