import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const LOG_FILE = /^(?<step>[^.]+)\.(?:attempt-\d+\.)?(?<stream>stdout|stderr)\.log$/;

/**
 * Prints what a run's step logs gained since the last call, in step order, stdout before stderr,
 * with a `==> file <==` header whenever the output moves to another file (as `tail` does).
 */
export class LogTail {
  private readonly offsets = new Map<string, number>();
  private current?: string;
  private endsWithNewline = true;

  constructor(
    private readonly dir: string,
    private readonly step?: string,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {}

  get printedAnything(): boolean {
    return this.offsets.size > 0;
  }

  /** `stepOrder`: the steps in the order they ran; logs of other steps come after, by name. */
  async printNew(stepOrder: string[]): Promise<void> {
    for (const file of await this.logFiles(stepOrder)) {
      const absolute = path.join(this.dir, file);
      const { size } = await stat(absolute);
      const printed = this.offsets.get(file) ?? 0;
      // Smaller than what was printed: a re-attached worker rewrote it from the start.
      const from = size < printed ? 0 : printed;
      if (size === from) continue;
      if (this.current !== file) {
        await this.write(`${this.endsWithNewline ? '' : '\n'}==> ${file} <==\n`);
        this.current = file;
      }
      for await (const chunk of createReadStream(absolute, { start: from, end: size - 1 })) {
        await this.write(chunk as Buffer);
      }
      this.offsets.set(file, size);
    }
  }

  private async logFiles(stepOrder: string[]): Promise<string[]> {
    const rank = (file: string) => {
      const { step = '', stream = '' } = LOG_FILE.exec(file)?.groups ?? {};
      const index = stepOrder.indexOf(step);
      return [index < 0 ? stepOrder.length : index, step, stream === 'stdout' ? 0 : 1] as const;
    };
    const files = (await readdir(this.dir)).filter(
      (f) => LOG_FILE.test(f) && (!this.step || f.startsWith(`${this.step}.`)),
    );
    return files.sort((a, b) => {
      const [ra, rb] = [rank(a), rank(b)];
      return ra[0] - rb[0] || ra[1].localeCompare(rb[1]) || ra[2] - rb[2];
    });
  }

  private write(data: string | Buffer): Promise<void> {
    if (data.length) this.endsWithNewline = data.at(-1) === (typeof data === 'string' ? '\n' : 10);
    return new Promise((resolve, reject) => this.out.write(data, (err) => (err ? reject(err) : resolve())));
  }
}
