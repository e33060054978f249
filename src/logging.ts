import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON lines for machines; readable lines when a person watches a terminal. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  if ((destination as NodeJS.WriteStream).isTTY) {
    return pino({ level, transport: { target: 'pino-pretty', options: { destination: 2 } } });
  }
  return pino({ level }, destination);
}
