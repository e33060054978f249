// A remote on the worker host's file system is pushed to by the job user, inside a container, not by
// the worker. When that user cannot write it, git's push fails late and obscurely ("remote unpack
// failed", retried); checked before the run starts instead, from the directories' owners and modes.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a push into `repo` would be refused to `jobUser` (`uid:gid`), and how to fix it; else undefined. */
export async function unwritableLocalRemote(repo: string, jobUser: string): Promise<string | undefined> {
  const local = repo.startsWith('/') ? repo : repo.startsWith('file://') ? fileURLToPath(repo) : undefined;
  if (!local) return undefined;
  const [uid, gid] = jobUser.split(':').map(Number) as [number, number];
  const dotGit = path.join(local, '.git'); // a non-bare repository's
  const gitDir = (await isDirectory(dotGit)) ? dotGit : local;
  // A missing repository is the clone's to report (RepositoryNotFound).
  if (!(await isDirectory(gitDir))) return undefined;
  const refused = await firstUnwritable(gitDir, uid, gid).catch(() => undefined); // unreadable: the push says
  if (!refused) return undefined;
  return (
    `repository ${repo} cannot take the run's push: the job user ${jobUser} cannot write ${refused}. ` +
    `Give it to the job user (\`chown -R ${jobUser} ${local}\`) or let everyone write it ` +
    `(\`chmod -R a+rwX ${local}\`), set SPECKIT_JOB_USER to a user who can, or publish nothing (--publish none).`
  );
}

/** The first directory where git, as uid:gid, could not create objects, packs and ref locks. */
async function firstUnwritable(gitDir: string, uid: number, gid: number): Promise<string | undefined> {
  for await (const dir of directories(gitDir)) {
    const st = await stat(dir);
    const needed = st.uid === uid ? 0o300 : st.gid === gid ? 0o030 : 0o003; // write and search
    if ((st.mode & needed) !== needed) {
      return `${dir} (owner ${st.uid}:${st.gid}, mode ${(st.mode & 0o777).toString(8)})`;
    }
  }
  return undefined;
}

async function* directories(dir: string): AsyncGenerator<string> {
  yield dir;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) yield* directories(path.join(dir, entry.name));
  }
}

function isDirectory(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
