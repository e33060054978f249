// The demo's sample repository, one fresh bare remote per run: a remote that already has a feature
// branch would make the next run number its feature 002 (Spec Kit's numbering), and the branch
// contents would no longer be the same work.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ROOT } from './paths.js';
import { check } from './proc.js';

export class SampleRepos {
  private template?: string;

  constructor(private readonly dir: string) {}

  /** A copy of the template remote (made once by scripts/make-sample-repo.sh), world-writable as it is. */
  async fresh(name: string): Promise<string> {
    this.template ??= (
      await check('bash', [
        path.join(ROOT, 'scripts', 'make-sample-repo.sh'),
        path.join(this.dir, 'template'),
      ])
    ).stdout.trim();
    const remote = path.join(this.dir, `${name}.git`);
    await check('cp', ['-a', this.template, remote]);
    return remote;
  }
}

/**
 * `specify init` stamps the time into these files (installed_at, updated_at): the only lines two
 * runs of the same work can differ in.
 */
const STAMPED = /(^|\/)(codex|speckit)\.manifest\.json$|(^|\/)workflow-registry\.json$/;
const STAMP_LINE = /^\s*"(installed_at|updated_at)":.*$/gm;

/** A digest of what a branch holds (paths, modes, contents; init's timestamps aside). */
export async function branchDigest(remote: string, branch: string): Promise<string> {
  const listing = (await check('git', ['-C', remote, 'ls-tree', '-r', branch])).stdout;
  const hash = createHash('sha256');
  for (const line of listing.split('\n').filter(Boolean)) {
    const [meta, file] = line.split('\t') as [string, string];
    if (STAMPED.test(file)) {
      const content = (await check('git', ['-C', remote, 'show', `${branch}:${file}`])).stdout;
      hash.update(`${meta.split(' ')[0]} ${file} ${content.replace(STAMP_LINE, '')}\n`);
    } else {
      hash.update(`${line}\n`);
    }
  }
  return hash.digest('hex').slice(0, 12);
}
