import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logging.js';

// Resolves from both src/db (tests) and dist/db (built CLI): migrations/ sits at the package root.
const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Brings the schema up to date; safe to call from every worker at start (advisory-locked). */
export async function migrate(databaseUrl: string, logger: Logger): Promise<void> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    log: (msg) => logger.debug(msg),
  });
  if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
}
