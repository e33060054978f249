import { mkdtemp, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { StallWatchdog } from '../../src/activities/stall-watchdog.js';
import { missingPhaseOutput } from '../../src/agents/phase-output.js';
import { writeFiles } from '../support/run-rows.js';

let repo: string;
let stdoutFile: string;
const feature = 'specs/001-albums';
const past = new Date(Date.now() - 60_000);

beforeEach(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), 'phase-output-'));
  await writeFiles(repo, {
    '.specify/templates/spec-template.md': '# Feature Specification: [FEATURE NAME]\n',
    '.specify/templates/plan-template.md': '# Implementation Plan: [FEATURE]\n',
    'README.md': 'sample\n',
  });
  stdoutFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'phase-logs-')), 'stdout.log');
  await writeFile(stdoutFile, '');
  await utimes(path.join(repo, 'README.md'), past, past);
});

const check = (
  phase: Parameters<typeof missingPhaseOutput>[0]['phase'],
  featureDir: string | null = feature,
) =>
  missingPhaseOutput({
    phase,
    repoDir: repo,
    featureDir: featureDir ?? undefined,
    stdoutFile,
    startedAt: new Date(Date.now() - 5000),
  });

describe('phase output contract', () => {
  it('specify needs a recorded feature and a spec that is not the template', async () => {
    expect(await check('specify', null)).toMatch(/a feature directory/);
    expect(await check('specify')).toBe(`${feature}/spec.md`);
    await writeFiles(repo, { [`${feature}/spec.md`]: '# Feature Specification: [FEATURE NAME]\n' });
    expect(await check('specify')).toMatch(/still Spec Kit's template/);
    await writeFiles(repo, { [`${feature}/spec.md`]: '# Feature Specification: Albums\n' });
    expect(await check('specify')).toBeUndefined();
  });

  it('plan needs plan.md, tasks needs tasks.md', async () => {
    expect(await check('plan')).toBe(`${feature}/plan.md`);
    await writeFiles(repo, { [`${feature}/plan.md`]: '# Implementation Plan: Albums\n' });
    expect(await check('plan')).toBeUndefined();
    await writeFiles(repo, { [`${feature}/tasks.md`]: '   \n' });
    expect(await check('tasks')).toBe(`${feature}/tasks.md`);
  });

  it('analyze needs a report in its output', async () => {
    expect(await check('analyze')).toMatch(/an analysis report/);
    await writeFile(stdoutFile, '## Specification Analysis Report\n');
    expect(await check('analyze')).toBeUndefined();
  });

  it('implement needs tasks marked done or changes outside specs/', async () => {
    await writeFiles(repo, { [`${feature}/tasks.md`]: '- [ ] T001 Do it\n' });
    expect(await check('implement')).toMatch(/tasks marked done/);
    await writeFiles(repo, { 'src/albums.py': 'print(1)\n' });
    expect(await check('implement')).toBeUndefined();
  });
});

describe('stall watchdog', () => {
  it('fires only after output and files have stood still for the limit', async () => {
    const watchdog = new StallWatchdog(10_000, repo);
    const t0 = Date.now();
    expect(await watchdog.stalled(0, t0)).toBe(false);
    expect(await watchdog.stalled(10, t0 + 8_000)).toBe(false); // output moved
    expect(await watchdog.stalled(10, t0 + 12_000)).toBe(false);
    await writeFiles(repo, { 'notes.md': 'written by the agent\n' });
    expect(await watchdog.stalled(10, t0 + 19_000)).toBe(false); // a file changed
    expect(await watchdog.stalled(10, t0 + 28_000)).toBe(false);
    expect(await watchdog.stalled(10, t0 + 30_000)).toBe(true);
  });
});
