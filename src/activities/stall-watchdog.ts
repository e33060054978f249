import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Notices an agent that has gone quiet: no output and no file changed in its workspace for
 * `afterMs`. A model that streams nothing would otherwise hold a phase until its timeout (30 min).
 * Fed with the container's progress every few seconds; the files are only looked at while the
 * output stands still.
 */
export class StallWatchdog {
  private outputBytes = -1;
  private newestChange = 0;
  private lastActivity = Date.now();
  private busy = false;

  constructor(
    readonly afterMs: number,
    private readonly workspace: string,
  ) {}

  /** Whether the agent has now been quiet for longer than allowed. */
  async stalled(outputBytes: number, now = Date.now()): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    try {
      if (outputBytes !== this.outputBytes) {
        this.outputBytes = outputBytes;
        this.lastActivity = now;
        return false;
      }
      const newest = await newestChange(this.workspace);
      if (newest > this.newestChange) {
        // The first look only takes the baseline: files older than the phase are not activity.
        if (this.newestChange) this.lastActivity = now;
        this.newestChange = newest;
      }
      return now - this.lastActivity > this.afterMs;
    } finally {
      this.busy = false;
    }
  }
}

async function newestChange(dir: string): Promise<number> {
  let newest = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const file = path.join(dir, entry.name);
    const time = entry.isDirectory()
      ? await newestChange(file)
      : await stat(file).then(
          (s) => s.mtimeMs,
          () => 0,
        );
    newest = Math.max(newest, time);
  }
  return newest;
}
