// The offline `scripted` agent, run for real inside the job image against Spec Kit's own
// scripts and templates, as the phase activities run it. One container per scenario keeps the
// file fast; scenarios run concurrently.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTED_HOOK_ENV } from '../../src/agents/scripted.js';
import { SCRIPTED_HOOK_LIMITS } from '../../src/run/input.js';

const exec = promisify(execFile);
const IMAGE = process.env.SPECKIT_JOB_IMAGE ?? 'speckit-job:local';
const DATE = '2025-01-02';
const DESCRIPTION = 'Add a CSV export of monthly invoices for accountants';
const FEATURE_DIR = 'specs/001-csv-export-monthly';
const INIT =
  'mkdir -p "$HOME" && git init -q && ' +
  'specify init --here --force --non-interactive --integration codex --script sh --ignore-agent-tools >/dev/null';

interface Run {
  dir: string;
  code: number;
  stdout: string;
  stderr: string;
}

const workspaces: string[] = [];

/** Runs a bash script in one job container (no network), in a fresh workspace mounted at its own path. */
async function inContainer(script: string, env: Record<string, string> = {}): Promise<Run> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'scripted-agent-'));
  workspaces.push(dir);
  await chmod(dir, 0o777); // the container runs as uid 1000
  const envArgs = Object.entries({ HOME: `${dir}/home`, SCRIPTED_AGENT_DATE: DATE, ...env }).flatMap(
    ([name, value]) => ['-e', `${name}=${value}`],
  );
  const argv = ['run', '--rm', '--network', 'none', '-v', `${dir}:${dir}`, '-w', dir, ...envArgs];
  try {
    const { stdout, stderr } = await exec('docker', [...argv, IMAGE, 'bash', '-ec', script], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return { dir, code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { dir, code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function succeeded(run: Run): Run {
  expect(run.code, `container failed:\n${run.stdout}\n${run.stderr}`).toBe(0);
  return run;
}

const read = (run: Run, file: string) => readFile(path.join(run.dir, file), 'utf8');

async function featureFiles(run: Run): Promise<Record<string, string>> {
  const names = (await readdir(path.join(run.dir, FEATURE_DIR))).sort();
  return Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await read(run, `${FEATURE_DIR}/${name}`)] as const)),
  );
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

// Shared by the tests that look at a full specify → plan → tasks run.
let pipeline: Promise<Run>;
const runPipeline = () =>
  inContainer(
    `${INIT}
scripted-agent specify "$DESCRIPTION"
scripted-agent plan
scripted-agent tasks
scripted-agent analyze > analyze.txt`,
    { DESCRIPTION },
  );

describe.concurrent('scripted agent in the job image', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    await exec('docker', ['image', 'inspect', IMAGE]).catch(() => {
      throw new Error(`job image ${IMAGE} not found: run \`bash scripts/build-job-image.sh\``);
    });
    pipeline = runPipeline();
  });

  afterAll(async () => {
    await Promise.all(workspaces.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('specify, plan and tasks fill the real templates in the numbered feature directory', async () => {
    const run = succeeded(await pipeline);
    expect(run.stdout).toContain(`[scripted-agent] specify: created ${FEATURE_DIR}/spec.md`);
    expect(Object.keys(await featureFiles(run))).toEqual([
      'data-model.md',
      'plan.md',
      'quickstart.md',
      'research.md',
      'spec.md',
      'tasks.md',
    ]);
    expect(JSON.parse(await read(run, '.specify/feature.json'))).toEqual({ feature_directory: FEATURE_DIR });

    const spec = await read(run, `${FEATURE_DIR}/spec.md`);
    for (const heading of ['## User Scenarios & Testing', '## Requirements', '## Success Criteria']) {
      expect(spec).toContain(heading);
    }
    expect(spec).toContain(`**Input**: User description: "${DESCRIPTION}"`);
    expect(spec).toContain(`**Created**: ${DATE}`);
    expect(spec).toMatch(/^- \*\*FR-001\*\*: System MUST/m);
    for (const leftover of ['[FEATURE NAME]', '[###-feature-name]', '[DATE]', '$ARGUMENTS', '<!--']) {
      expect(spec).not.toContain(leftover);
    }
    expect(spec).not.toContain('NEEDS CLARIFICATION');

    const plan = await read(run, `${FEATURE_DIR}/plan.md`);
    expect(plan).toContain('**Language/Version**: Python 3.11');
    expect(plan).not.toMatch(/\[REMOVE IF UNUSED\]|\[FEATURE\]|\[DATE\]/);

    const tasks = await read(run, `${FEATURE_DIR}/tasks.md`);
    expect(tasks).toMatch(/^- \[ \] T001 /m);
    const stories = spec.match(/^### User Story \d+ - .*$/gm) ?? [];
    expect(stories).toHaveLength(3);
    for (const [i, story] of stories.entries()) {
      expect(tasks).toContain(`## Phase ${i + 3}: ${story.slice(4)}`);
      expect(tasks).toMatch(new RegExp(`^- \\[ \\] T\\d{3} (\\[P\\] )?\\[US${i + 1}\\] `, 'm'));
    }
    expect(tasks).toContain('## Dependencies & Execution Order');

    expect(await read(run, 'analyze.txt')).toContain('Coverage: 100% (5/5 requirements with >=1 task)');
  });

  it('gives byte-identical documents for the same description and date', async () => {
    const [first, second] = await Promise.all([pipeline, runPipeline()]);
    expect(await featureFiles(succeeded(second))).toEqual(await featureFiles(succeeded(first)));
  });

  it('fails the chosen phase with the chosen exit code before writing anything', async () => {
    const run = await inContainer(
      `${INIT}
scripted-agent specify "$DESCRIPTION" >/dev/null
SCRIPTED_AGENT_FAIL_PHASE=plan SCRIPTED_AGENT_FAIL_EXIT_CODE=7 scripted-agent plan`,
      { DESCRIPTION },
    );
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('failing on purpose');
    expect(Object.keys(await featureFiles(run))).toEqual(['spec.md']);
  });

  it('leaves clarification markers that clarify resolves; implement then checks off every task', async () => {
    const run = succeeded(
      await inContainer(
        `${INIT}
SCRIPTED_AGENT_CLARIFICATIONS=2 scripted-agent specify "$DESCRIPTION"
cp ${FEATURE_DIR}/spec.md before-clarify.md
scripted-agent clarify
scripted-agent plan
scripted-agent tasks
scripted-agent implement`,
        { DESCRIPTION },
      ),
    );
    expect(count(await read(run, 'before-clarify.md'), /\[NEEDS CLARIFICATION: [^\]]+\]/g)).toBe(2);

    const spec = await read(run, `${FEATURE_DIR}/spec.md`);
    expect(spec).not.toContain('NEEDS CLARIFICATION');
    expect(spec).toContain(`## Clarifications\n\n### Session ${DATE}\n\n- Q: `);
    expect(count(spec, /^- Q: .+ → A: .+$/gm)).toBe(2);

    const tasks = await read(run, `${FEATURE_DIR}/tasks.md`);
    expect(tasks).not.toMatch(/^- \[ \] T\d+/m);
    expect(count(tasks, /^- \[x\] T\d+/gm)).toBeGreaterThan(10);
    expect(await read(run, 'pyproject.toml')).toContain('T002');
  });

  it('rejects bad usage with exit code 2', async () => {
    const run = succeeded(
      await inContainer(`set +e
mkdir -p .specify; scripted-agent bogus; echo "unknown phase: $?"
scripted-agent specify; echo "no description: $?"
SCRIPTED_AGENT_DELAY_SECONDS=3601 scripted-agent plan; echo "delay over the limit: $?"
SCRIPTED_AGENT_FAIL_EXIT_CODE=0 scripted-agent plan; echo "fail exit code under the limit: $?"
rmdir .specify; scripted-agent plan; echo "not initialised: $?"`),
    );
    expect(run.stdout.trim().split('\n')).toEqual([
      'unknown phase: 2',
      'no description: 2',
      'delay over the limit: 2',
      'fail exit code under the limit: 2',
      'not initialised: 2',
    ]);
    expect(run.stderr).toContain("SCRIPTED_AGENT_DELAY_SECONDS='3601': expected a number from 0 to 3600");
    expect(run.stderr).toContain("unknown phase 'bogus'");
    expect(run.stderr).toContain('no .specify/ here: run specify init first');
  });

  it('takes its test hooks in the variables and limits the run input and the driver use', async () => {
    // The package as the image installed it, beside its command.
    const run = succeeded(
      await inContainer(`python3 - <<'EOF'
import json, sys
sys.path.insert(0, "/usr/local/lib/scripted-agent")
from scripted_agent import hooks
print(json.dumps({"limits": hooks.LIMITS, "env": hooks.ENV}))
EOF`),
    );
    expect(JSON.parse(run.stdout)).toEqual({ limits: SCRIPTED_HOOK_LIMITS, env: SCRIPTED_HOOK_ENV });
  });
});
