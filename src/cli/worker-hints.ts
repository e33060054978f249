// What the CLI says about a task queue without workers, however it asked Temporal (gRPC or HTTP).

/** How to start a worker for a task queue, for messages. */
export function startWorkerHint(taskQueue: string): string {
  return `start one with \`SPECKIT_TASK_QUEUE=${taskQueue} speckit-automation worker\``;
}

/** That no worker polls a run's task queue, what that means for the run, and how to start one. */
export function noWorkerPolls(
  taskQueue: string,
  runId: string,
  meaning = 'waits until one picks it up',
): string {
  return `no worker polls task queue ${taskQueue}: run ${runId} ${meaning}; ${startWorkerHint(taskQueue)}`;
}

/** After a start: a run nobody polls for waits silently, unless the operator is told. */
export function warnIfNoWorker(workers: number | undefined, runId: string, taskQueue: string): void {
  if (workers === 0) console.error(`warning: ${noWorkerPolls(taskQueue, runId)}`);
}
