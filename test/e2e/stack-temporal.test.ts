// The stack's Temporal dev server (scripts/stack.sh) keeps its state in a SQLite file in WAL mode,
// as the README says: a commit appends to the log instead of journalling and syncing each page.
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

/** Where the stack keeps its state: scripts/lib.sh decides, from the environment and the user. */
async function stateDir(): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [
    '-c',
    'source scripts/lib.sh && echo "$SPECKIT_STATE_DIR"',
  ]);
  return stdout.trim();
}

it("keeps Temporal's SQLite file in WAL mode", async () => {
  // TEMPORAL_DB_FILE in scripts/stack.sh.
  const file = await open(path.join(await stateDir(), 'temporal', 'temporal.db'), 'r');
  try {
    // SQLite's header: bytes 18 and 19 are the file format's write and read versions, 1 for a
    // rollback journal and 2 for WAL (https://www.sqlite.org/fileformat.html#file_format_version_numbers).
    const { buffer } = await file.read(Buffer.alloc(2), 0, 2, 18);
    expect([...buffer], 'a stack started before WAL: npm run stack:down && npm run stack:up').toEqual([2, 2]);
  } finally {
    await file.close();
  }
});
