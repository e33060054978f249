// The output contract of the agent phases: what each Spec Kit phase must leave for the run to go
// on. An agent that exits 0 without it did not do its job (a model that answered "done", a tool
// that failed inside the CLI), and a run never publishes scaffolding alone.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SpecKitPhase } from '../run/input.js';

export interface PhaseOutputContext {
  phase: SpecKitPhase;
  repoDir: string;
  /** Relative to the repository; undefined when Spec Kit recorded no feature. */
  featureDir?: string;
  /** The phase's standard output (analyze reports there). */
  stdoutFile: string;
  /** When the phase's container started: implement must have changed something since. */
  startedAt: Date;
}

/** What the phase failed to leave, or undefined when its output is there. */
export async function missingPhaseOutput(c: PhaseOutputContext): Promise<string | undefined> {
  if (c.phase === 'analyze') {
    return (await readText(c.stdoutFile))?.trim() ? undefined : 'an analysis report in its output';
  }
  if (!c.featureDir) return 'a feature directory (Spec Kit recorded none in .specify/feature.json)';
  const feature = path.join(c.repoDir, c.featureDir);
  switch (c.phase) {
    case 'specify':
      return missingDocument(feature, 'spec.md', c.repoDir, 'spec-template.md');
    case 'clarify':
      return missingDocument(feature, 'spec.md', c.repoDir);
    case 'plan':
      return missingDocument(feature, 'plan.md', c.repoDir, 'plan-template.md');
    case 'tasks':
      return missingDocument(feature, 'tasks.md', c.repoDir, 'tasks-template.md');
    case 'implement':
      return (await tasksDone(feature)) || (await changedOutsideSpecs(c.repoDir, c.startedAt))
        ? undefined
        : `tasks marked done in ${c.featureDir}/tasks.md or changes outside specs/`;
  }
}

/** A document that is missing, empty, or still Spec Kit's template (its scripts copy templates in). */
async function missingDocument(
  featureDir: string,
  name: string,
  repoDir: string,
  template?: string,
): Promise<string | undefined> {
  const where = `${path.relative(repoDir, featureDir)}/${name}`;
  const text = (await readText(path.join(featureDir, name)))?.trim();
  if (!text) return where;
  const templateText = template && (await readText(path.join(repoDir, '.specify', 'templates', template)));
  if (templateText && templateText.trim() === text) return `${where} (it is still Spec Kit's template)`;
  return undefined;
}

async function tasksDone(featureDir: string): Promise<boolean> {
  return /^\s*- \[[xX]\]/m.test((await readText(path.join(featureDir, 'tasks.md'))) ?? '');
}

/** Top-level directories whose changes are not an implementation. */
const NOT_IMPLEMENTATION = new Set(['.git', '.specify', 'specs']);

async function changedOutsideSpecs(dir: string, since: Date, top = true): Promise<boolean> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if ((top && NOT_IMPLEMENTATION.has(entry.name)) || entry.name === '.git') continue;
    const file = path.join(dir, entry.name);
    const changed = entry.isDirectory()
      ? await changedOutsideSpecs(file, since, false)
      : (await stat(file)).mtime >= since;
    if (changed) return true;
  }
  return false;
}

export async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
