import { Command } from 'commander';
import { type PhaseStateRow, phaseStates, type RunRow } from '../db/run-queries.js';
import { requireRun, withDatabase } from './database.js';
import { seconds, table, time } from './format.js';

export function statusCommand(): Command {
  return new Command('status')
    .description('show a run and its steps, as the database records them')
    .argument('<runId>')
    .option('--json', 'print one JSON object: the run and its phases')
    .action(async (runId: string, opts: { json?: boolean }) => {
      const { run, phases } = await withDatabase(async (pool) => ({
        run: await requireRun(pool, runId),
        phases: await phaseStates(pool, runId),
      }));
      console.log(opts.json ? JSON.stringify({ ...run, phases }) : humanStatus(run, phases));
    });
}

function humanStatus(run: RunRow, phases: PhaseStateRow[]): string {
  const took = run.finishedAt ? ` (${seconds(run.finishedAt.getTime() - run.createdAt.getTime())})` : '';
  const lines = [
    `run ${run.runId}: ${run.status}`,
    `  repo:      ${run.repo} (base ${run.baseBranch})`,
    `  agent:     ${run.agentBackend}, phases ${run.phases.join(', ')}, publish ${run.publishMode}`,
    run.featureBranch && `  branch:    ${run.featureBranch}`,
    run.commit && `  commit:    ${run.commit}`,
    `  started:   ${time(run.createdAt)}`,
    run.finishedAt && `  finished:  ${time(run.finishedAt)}${took}`,
    `  artifacts: ${run.artifactsDir}${run.expiredAt ? ` (removed by retention ${time(run.expiredAt)})` : ''}`,
    run.error && `  error:     ${run.error}`,
    run.reason && `  reason:    ${run.reason}`,
  ];
  if (phases.length) {
    const rows = phases.map((p) => [
      p.phase,
      String(p.attempt),
      p.status,
      p.exitCode === null ? '' : String(p.exitCode),
      seconds(p.durationMs),
    ]);
    lines.push('', indent(table([['STEP', 'ATTEMPT', 'STATUS', 'EXIT', 'DURATION'], ...rows])));
  }
  return lines.filter((l) => typeof l === 'string').join('\n');
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
