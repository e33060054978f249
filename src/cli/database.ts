import pg from 'pg';
import { loadConfig } from '../config.js';
import { findRun, type RunRow } from '../db/run-queries.js';
import { CliError } from './cli-error.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT']);
const UNDEFINED_TABLE_OR_COLUMN = new Set(['42P01', '42703']);

/** Runs `fn` with a connection pool to the runs database, turning the usual failures into advice. */
export async function withDatabase<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: loadConfig().databaseUrl, max: 2 });
  try {
    return await fn(pool);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (UNREACHABLE.has(code)) {
      throw new CliError(
        `the runs database is unreachable (${code}): start it (npm run stack:up) or set DATABASE_URL`,
      );
    }
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

export async function requireRun(pool: pg.Pool, runId: string): Promise<RunRow> {
  const run = await findRun(pool, runId);
  if (!run) throw noSuchRun(runId);
  return run;
}

export function noSuchRun(runId: string): CliError {
  return new CliError(`no run ${runId}: see \`speckit-automation list\``);
}
