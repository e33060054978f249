import pg from 'pg';
import { CliError } from './cli-error.js';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
]);
const UNDEFINED_TABLE_OR_COLUMN = new Set(['42P01', '42703']);
/** A server that does not answer at all: say so after this long rather than wait for the OS. */
const CONNECT_TIMEOUT_MS = 5_000;

/** Runs `fn` with a connection pool to the runs database, turning the usual failures into advice. */
export async function withDatabase<T>(databaseUrl: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 2,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  try {
    return await fn(pool);
  } catch (err) {
    const unreachable = databaseUnreachable(err, databaseUrl);
    if (unreachable) throw unreachable;
    const code = (err as { code?: string }).code ?? '';
    if (UNDEFINED_TABLE_OR_COLUMN.has(code)) {
      throw new CliError(
        `the runs database schema is out of date: start a worker once, it migrates the database`,
      );
    }
    throw err;
  } finally {
    await pool.end();
  }
}

/** The one line to print when `err` says the runs database cannot be reached, else undefined. */
export function databaseUnreachable(err: unknown, databaseUrl: string): CliError | undefined {
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : '';
  const timedOut = /timeout expired|connection timeout/i.test(message);
  if (!UNREACHABLE.has(code) && !timedOut) return undefined;
  return new CliError(
    `PostgreSQL at ${serverOf(databaseUrl)} (the runs database) is unreachable (${code || 'no answer'}): ` +
      'start it (`npm run stack:up`) or set DATABASE_URL',
  );
}

/** host:port of a connection string, without credentials. */
function serverOf(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return url.host || 'a local socket';
  } catch {
    return 'DATABASE_URL';
  }
}

export function noSuchRun(runId: string): CliError {
  return new CliError(`no run ${runId}: see \`speckit-automation list\``);
}
