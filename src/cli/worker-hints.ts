// What the CLI says about a task queue without workers, however it asked Temporal (gRPC or HTTP).

/** How to start a worker for a task queue, for messages. */
export function startWorkerHint(taskQueue: string): string {
  return `start one with \`SPECKIT_TASK_QUEUE=${taskQueue} speckit-automation worker\``;
}

/** After a start: a run nobody polls for waits silently, unless the operator is told. */
export function warnIfNoWorker(workers: number | undefined, runId: string, taskQueue: string): void {
  if (workers !== 0) return;
  console.error(
    `warning: no worker polls task queue ${taskQueue}: run ${runId} waits until one picks it up; ${startWorkerHint(taskQueue)}`,
  );
}
