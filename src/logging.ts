import type { LogLevel, Logger as SdkLogger } from '@temporalio/common';
import { IllegalStateError } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import type { Redactor } from './redaction.js';

export type { Logger };

/**
 * JSON lines for machines; readable lines when a person watches a terminal. With a redactor, the
 * message, fields and error of every line pass through it; child bindings (run id, repository,
 * phase, container, branch: identifiers, never secrets) are written as they are.
 */
export function createLogger(
  level: string,
  destination: NodeJS.WritableStream = process.stderr,
  redactor?: Redactor,
): Logger {
  const options: pino.LoggerOptions = { level, ...(redactor && redacting(redactor)) };
  if ((destination as NodeJS.WriteStream).isTTY) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2 } } });
  }
  return pino(options, destination);
}

function redacting(redactor: Redactor): pino.LoggerOptions {
  return {
    hooks: {
      logMethod(args, method) {
        method.apply(this, redactor.redactObject(args));
      },
    },
    // Errors are not plain objects: their message and stack are redacted once serialised.
    serializers: { err: (err: Error) => redactor.redactObject({ ...pino.stdSerializers.err(err) }) },
  };
}

/** What every log line about a run carries, so one run's lines can be picked out of many. */
export interface RunLogContext {
  run_id: string;
  repo: string;
  phase?: string;
  container_id?: string;
  branch?: string;
}

export function runLogger(logger: Logger, context: RunLogContext): Logger {
  return logger.child(Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)));
}

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
const SDK_LEVEL: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
};

let sdkLoggingInstalled = false;

/**
 * Routes the Temporal SDK's own log lines (worker lifecycle, workflow and activity context
 * loggers, and the native core's, forwarded) through `logger`. The SDK's runtime is a process
 * singleton configured once, before any connection or worker exists; later calls change nothing.
 */
export function installSdkLogging(logger: Logger): void {
  if (sdkLoggingInstalled) return;
  const level = SDK_LEVEL[logger.level] ?? 'INFO';
  try {
    Runtime.install({
      logger: sdkLogger(logger),
      telemetryOptions: { logging: { filter: { core: level, other: 'ERROR' }, forward: {} } },
    });
  } catch (err) {
    if (err instanceof IllegalStateError) {
      throw new Error(
        'the Temporal runtime is already running: call installSdkLogging before creating any Temporal connection or worker',
        { cause: err },
      );
    }
    throw err;
  }
  sdkLoggingInstalled = true;
}

function sdkLogger(logger: Logger): SdkLogger {
  const log = (level: LogLevel, message: string, meta?: object) =>
    logger[PINO_LEVEL[level]](meta ?? {}, message);
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
