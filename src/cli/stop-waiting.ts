// Ctrl-C while `run --wait` waits stops the waiting, not the run; what it says, however it waited.
import { EXIT } from './exit-codes.js';

/**
 * Until the returned function is called, Ctrl-C exits with EXIT.interrupted after saying that the
 * run goes on and how to follow it. `queuedOn`: the task queue the run still waits on for a worker.
 */
export function stopWaitingOnCtrlC(
  runId: string,
  queuedOn: () => string | undefined,
  say: (line: string) => void = (line) => console.error(line),
): () => void {
  const interrupted = () => {
    say(stoppedWaiting(runId, queuedOn()));
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', interrupted);
  return () => process.off('SIGINT', interrupted);
}

function stoppedWaiting(runId: string, queuedOn: string | undefined): string {
  const where = queuedOn
    ? `run ${runId} is not cancelled: it stays queued until a worker polls task queue ${queuedOn}, then runs there`
    : `run ${runId} is not cancelled: it continues on the worker`;
  return [
    `\nstopped waiting; ${where}. Follow it with:`,
    `  speckit-automation status ${runId}`,
    `  speckit-automation logs ${runId} --follow`,
    `  speckit-automation cancel ${runId}`,
  ].join('\n');
}
