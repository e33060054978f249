import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { answerQuestions, openQuestions } from '../agents/clarification-markers.js';
import { readText } from '../agents/phase-output.js';
import type { RunCheckpoints } from '../db/run-checkpoints.js';
import type { ClarificationAnswer } from '../run/summary.js';
import { runPaths } from '../workspace.js';

export interface ClarificationWrite {
  runId: string;
  /** Relative to the repository, as specify recorded it. */
  featureDir: string;
  answers: ClarificationAnswer[];
}

export function createClarifications(workspaceRoot: string, checkpoints: RunCheckpoints) {
  return {
    /**
     * Writes an operator's answers into spec.md (see agents/clarification-markers) and adds the
     * answered spec to the run's checkpoint. Returns the questions still open, none unless the spec
     * changed since they were asked. Written again by a retry: the markers are gone, the session is
     * recorded once.
     */
    async writeClarifications(w: ClarificationWrite): Promise<{ open: string[] }> {
      const { repoDir } = runPaths(workspaceRoot, w.runId);
      const specPath = path.join(w.featureDir, 'spec.md');
      const spec = await readText(path.join(repoDir, specPath));
      if (spec === undefined) throw new Error(`${specPath} is gone from the workspace`);
      const answered = openQuestions(spec).length ? answerQuestions(spec, w.answers, new Date()) : spec;
      if (answered !== spec) await writeFile(path.join(repoDir, specPath), answered);
      await checkpoints.fileWritten(w.runId, specPath, answered);
      return { open: openQuestions(answered) };
    },
  };
}
