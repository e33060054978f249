// The Temporal SDK's log lines arrive through pino, as JSON, once installSdkLogging has run; run
// loggers carry the run's fields. Runs in its own process (vitest isolates files), as the SDK's
// runtime is a process-wide singleton.
import { Writable } from 'node:stream';
import { NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger, installSdkLogging, runLogger } from '../../src/logging.js';
import { Redactor } from '../../src/redaction.js';
import { uniqueId } from '../support/run-rows.js';

function capture(redactor?: Redactor) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((l: string) => JSON.parse(l)),
      );
      done();
    },
  });
  return { lines, logger: createLogger('info', destination, redactor) };
}

describe('installSdkLogging', () => {
  it("routes the SDK's own log lines through pino as JSON, and a second call changes nothing", async () => {
    const { lines, logger } = capture();
    installSdkLogging(logger);
    installSdkLogging(createLogger('info'));

    const connection = await NativeConnection.connect({ address: loadConfig(process.env).temporal.address });
    const worker = await Worker.create({
      connection,
      taskQueue: uniqueId('logging'),
      activities: { noop: async () => undefined },
    });
    await worker.runUntil(new Promise((resolve) => setTimeout(resolve, 200)));
    await connection.close();

    const states = lines.filter((l) => l.msg === 'Worker state changed');
    expect(states.length).toBeGreaterThan(0);
    expect(states[0]).toMatchObject({ level: 30, sdkComponent: 'worker', state: expect.any(String) });
  });
});

describe('createLogger with a redactor', () => {
  it('masks secrets in messages, fields and errors', () => {
    const secret = 'hunter2-correct-horse';
    const { lines, logger } = capture(new Redactor([secret]));
    logger.error({ err: new Error(`push failed: ${secret}`), detail: { token: secret } }, `saw ${secret}`);
    const line = JSON.stringify(lines);
    expect(line).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      msg: 'saw ***',
      detail: { token: '***' },
      err: { message: 'push failed: ***', stack: expect.stringContaining('push failed: ***') },
    });
  });
});

describe('runLogger', () => {
  it("adds the run's fields to every line, leaving out those not known yet", () => {
    const { lines, logger } = capture();
    runLogger(logger, { run_id: 'sk-1', repo: '/srv/git/app.git', phase: 'plan', branch: undefined }).info(
      { exit_code: 0 },
      'step succeeded',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ run_id: 'sk-1', repo: '/srv/git/app.git', phase: 'plan', exit_code: 0 });
    expect(lines[0]).not.toHaveProperty('branch');
  });
});
