import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { answerQuestions, openQuestions } from '../agents/clarification-markers.js';
import { readText } from '../agents/phase-output.js';
import type { ClarificationAnswer } from '../run/summary.js';
import { runPaths } from '../workspace.js';

export interface ClarificationWrite {
  runId: string;
  /** Relative to the repository, as specify recorded it. */
  featureDir: string;
  answers: ClarificationAnswer[];
}

export function createClarifications(workspaceRoot: string) {
  return {
    /**
     * Writes an operator's answers into spec.md (see agents/clarification-markers). Returns the
     * questions still open, none unless the spec changed since they were asked. Written again by a
     * retry: the markers are gone, the session is recorded once.
     */
    async writeClarifications(w: ClarificationWrite): Promise<{ open: string[] }> {
      const { repoDir } = runPaths(workspaceRoot, w.runId);
      const specFile = path.join(repoDir, w.featureDir, 'spec.md');
      const spec = await readText(specFile);
      if (spec === undefined)
        throw new Error(`${path.join(w.featureDir, 'spec.md')} is gone from the workspace`);
      if (openQuestions(spec).length === 0) return { open: [] };
      const answered = answerQuestions(spec, w.answers, new Date());
      await writeFile(specFile, answered);
      return { open: openQuestions(answered) };
    },
  };
}
