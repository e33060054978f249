// A job container's log stream split into its stdout and its stderr, with backpressure: the next
// chunk is read only once both destinations have taken the last one. dockerode's demuxStream
// writes every frame as it comes, whatever the destinations already hold, so a loud container
// outran redaction and the disk and the worker buffered its whole output in memory.
import { Writable } from 'node:stream';

/**
 * Every frame of the stream (Docker's multiplexed format: job containers have no TTY) is a header,
 * the stream's type (2 for stderr) then three zero bytes then the payload's length as a big-endian
 * 32-bit integer, followed by the payload.
 */
const HEADER_BYTES = 8;
const STDERR = 2;

export class LogDemuxer extends Writable {
  /** Bytes received, frame headers included: what the container has printed so far, as it came. */
  bytesIn = 0;
  /** The start of a header split across chunks. */
  private header = Buffer.alloc(0);
  /** Bytes of the current frame's payload still to come, and where they go. */
  private remaining = 0;
  private toStderr = false;

  /** `stdout` and `stderr` are ended when the log stream ends. */
  constructor(
    private readonly stdout: Writable,
    private readonly stderr: Writable,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.bytesIn += chunk.length;
    // A verbose agent's lines are a frame each: one write per destination and chunk, not per line,
    // spares the redacting transform most of its calls.
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining === 0) {
        const part = chunk.subarray(at, at + HEADER_BYTES - this.header.length);
        this.header = Buffer.concat([this.header, part]);
        at += part.length;
        if (this.header.length < HEADER_BYTES) break;
        this.toStderr = this.header[0] === STDERR;
        this.remaining = this.header.readUInt32BE(4);
        this.header = Buffer.alloc(0);
        continue;
      }
      const payload = chunk.subarray(at, at + this.remaining);
      at += payload.length;
      this.remaining -= payload.length;
      (this.toStderr ? err : out).push(payload);
    }
    const full = [write(this.stdout, out), write(this.stderr, err)].filter((d) => d !== undefined);
    Promise.all(full.map(drained)).then(() => done(), done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.stdout.end();
    this.stderr.end();
    done();
  }
}

/** Writes the pieces as one buffer; returns the destination when it asks to wait before the next. */
function write(dest: Writable, pieces: Buffer[]): Writable | undefined {
  if (pieces.length === 0) return undefined;
  return dest.write(pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces)) ? undefined : dest;
}

/** Resolves once `dest` takes writes again; fails if it errs or closes first. */
function drained(dest: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error) => {
      dest.off('drain', onDrain).off('error', settle).off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error('a log destination closed before it took all the output'));
    dest.on('drain', onDrain).on('error', settle).on('close', onClose);
  });
}
