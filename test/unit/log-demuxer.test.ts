import { PassThrough, Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { LogDemuxer } from '../../src/containers/log-demuxer.js';

const STDOUT = 1;
const STDERR = 2;

/** One frame of Docker's multiplexed log stream. */
function frame(stream: number, payload: string | Buffer): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

async function demux(chunks: Buffer[]): Promise<{ out: Buffer; err: Buffer; bytesIn: number }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const demuxer = new LogDemuxer(stdout, stderr);
  const [out, err] = await Promise.all([
    buffer(stdout),
    buffer(stderr),
    pipeline(Readable.from(chunks, { objectMode: false }), demuxer),
  ]);
  return { out, err, bytesIn: demuxer.bytesIn };
}

/** A destination that takes one write, then holds everything until released. */
function heldDestination() {
  const received: Buffer[] = [];
  let open = false;
  let pending: (() => void) | undefined;
  const dest = new Writable({
    highWaterMark: 4,
    write(chunk: Buffer, _encoding, done) {
      received.push(chunk);
      if (open) done();
      else pending = done;
    },
  });
  const release = () => {
    open = true;
    pending?.();
  };
  return { dest, received, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LogDemuxer', () => {
  const stream = Buffer.concat([
    frame(STDOUT, 'first line\n'),
    frame(STDERR, 'a warning\n'),
    frame(STDOUT, ''),
    frame(STDOUT, 'second line\n'),
    frame(STDERR, 'an error\n'),
  ]);

  it('splits stdout and stderr, whole frames in one chunk', async () => {
    const { out, err, bytesIn } = await demux([stream]);
    expect(out.toString()).toBe('first line\nsecond line\n');
    expect(err.toString()).toBe('a warning\nan error\n');
    expect(bytesIn).toBe(stream.length);
  });

  it('reassembles headers and payloads split across chunks, at every size', async () => {
    for (const size of [1, 2, 3, 7, 8, 9, 13, 20]) {
      const { out, err, bytesIn } = await demux(chunksOf(stream, size));
      expect(out.toString(), `chunks of ${size} bytes`).toBe('first line\nsecond line\n');
      expect(err.toString(), `chunks of ${size} bytes`).toBe('a warning\nan error\n');
      expect(bytesIn).toBe(stream.length);
    }
  });

  it('passes any bytes through unchanged', async () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const { out } = await demux(chunksOf(frame(STDOUT, binary), 5));
    expect(out.equals(binary)).toBe(true);
  });

  it('stops reading while a destination is full, and goes on once it drains', async () => {
    const held = heldDestination();
    const stderr = new PassThrough();
    const demuxer = new LogDemuxer(held.dest, stderr);
    const big = 'x'.repeat(32 * 1024);
    const frames = [frame(STDOUT, big), frame(STDOUT, big), frame(STDOUT, big)];
    const source = new Readable({ read() {} });
    for (const f of frames) source.push(f);
    source.push(null);
    const done = pipeline(source, demuxer);
    const errText = buffer(stderr);

    await tick();
    // The first frame went to the destination, which asked to wait: nothing more was taken from
    // the source than what the demuxer buffers itself, and the source was paused.
    expect(demuxer.bytesIn).toBe(frames[0]?.length);
    expect(held.received).toHaveLength(1);
    expect(source.isPaused()).toBe(true);

    held.release();
    await done;
    expect(Buffer.concat(held.received).toString()).toBe(big.repeat(3));
    expect(demuxer.bytesIn).toBe(Buffer.concat(frames).length);
    expect(held.dest.writableEnded).toBe(true);
    expect((await errText).length).toBe(0);
  });

  it('fails when a full destination closes instead of draining', async () => {
    const held = heldDestination();
    const demuxer = new LogDemuxer(held.dest, new PassThrough());
    const done = pipeline(Readable.from([frame(STDOUT, 'x'.repeat(64)), frame(STDOUT, 'y')]), demuxer);
    await tick();
    held.dest.destroy();
    await expect(done).rejects.toThrow(/closed before/);
  });
});
