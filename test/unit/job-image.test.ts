// The job image as built by scripts/build-job-image.sh: its user, its tools at the versions
// pinned in scripts/lib.sh (recorded in the image's speckit.versions label), the four agent CLIs,
// and the scripted agent's SCRIPTED_AGENT_NOOP option. Every check runs in a throwaway container
// without network (the agent CLIs call their vendors on their own: never run them with one).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const IMAGE = process.env.SPECKIT_JOB_IMAGE ?? 'speckit-job:local';
const LIB_SH = path.resolve(import.meta.dirname, '../../scripts/lib.sh');

/** The tools the image pins, as in its label: tool name -> how to ask its version, lib.sh variable. */
const TOOLS = {
  git: { command: 'git --version', pin: 'SPECKIT_GIT_VERSION' },
  gh: { command: 'gh --version', pin: 'SPECKIT_GH_VERSION' },
  python: { command: 'python3 --version', pin: 'SPECKIT_PYTHON_VERSION' },
  specify: { command: 'specify --version', pin: 'SPECKIT_SPECIFY_VERSION' },
  node: { command: 'node --version', pin: 'SPECKIT_NODE_VERSION' },
  npm: { command: 'npm --version', pin: 'SPECKIT_NPM_VERSION' },
  codex: { command: 'codex --version', pin: 'SPECKIT_CODEX_VERSION' },
  claude: { command: 'claude --version', pin: 'SPECKIT_CLAUDE_VERSION' },
  gemini: { command: 'gemini --version', pin: 'SPECKIT_GEMINI_VERSION' },
  copilot: { command: 'copilot --version', pin: 'SPECKIT_COPILOT_VERSION' },
} as const;
type Tool = keyof typeof TOOLS;

/** The agent CLIs, under their backend names (the keys the product reads from the label). */
const AGENTS = ['codex', 'claude', 'gemini', 'copilot'] as const;

/** Runs a bash script in a job container (no network); fails the test on a non-zero exit. */
async function inContainer(script: string, env: Record<string, string> = {}): Promise<string> {
  const envArgs = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  try {
    const { stdout } = await exec(
      'docker',
      ['run', '--rm', '--network', 'none', ...envArgs, IMAGE, 'bash', '-ec', script],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return stdout;
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    throw new Error(
      `container exited with ${String(failed.code)}:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
    );
  }
}

const versionsIn = (text: string) => text.match(/\d+(?:\.\d+)+/g) ?? [];

describe.concurrent('job image', { timeout: 60_000 }, () => {
  let labelled: Record<string, string>;

  beforeAll(async () => {
    const { stdout } = await exec('docker', [
      'image',
      'inspect',
      '--format',
      '{{ index .Config.Labels "speckit.versions" }}',
      IMAGE,
    ]).catch(() => {
      throw new Error(`job image ${IMAGE} not found: run 'npm run setup' (scripts/build-job-image.sh)`);
    });
    labelled = JSON.parse(stdout) as Record<string, string>;
  });

  it('records the versions scripts/lib.sh pins', async () => {
    const pins = Object.values(TOOLS).map((tool) => tool.pin);
    const { stdout } = await exec('bash', [
      '-c',
      `source "$1" && for name in ${pins.join(' ')}; do printf '%s\\n' "\${!name}"; done`,
      'pins',
      LIB_SH,
    ]);
    const expected = Object.fromEntries(Object.keys(TOOLS).map((tool, i) => [tool, stdout.split('\n')[i]]));
    expect(labelled, 'rebuild the image: bash scripts/build-job-image.sh').toEqual(expected);
  });

  // The first line on stdout: codex, for one, warns on stderr first when its HOME lies under /tmp.
  it.each(Object.keys(TOOLS) as Tool[])('%s reports its pinned version', async (tool) => {
    const output = await inContainer(`${TOOLS[tool].command} | head -n 1`);
    expect(versionsIn(output), output).toContain(labelled[tool]);
  });

  it('has the four agent CLIs on PATH, in /usr/local/bin', async () => {
    const output = await inContainer(`command -v ${AGENTS.join(' ')}`);
    expect(output.trim().split('\n')).toEqual(AGENTS.map((agent) => `/usr/local/bin/${agent}`));
  });

  // As a phase runs them: the run's fresh HOME, under /tmp here. copilot finds its package
  // unpacked in the image and leaves nothing of it in HOME.
  it('runs each agent CLI with a fresh HOME, without network', async () => {
    const output = await inContainer(
      `export HOME=$(mktemp -d)
for agent in ${AGENTS.join(' ')}; do printf '%s=%s\\n' "$agent" "$("$agent" --version 2>/dev/null | head -n 1)"; done
echo "copilot-cache=$(find "$HOME" -path '*copilot*' | head -n 1)"`,
    );
    const lines = output.trim().split('\n');
    for (const [i, agent] of AGENTS.entries()) {
      expect(lines[i], output).toMatch(new RegExp(`^${agent}=`));
      expect(versionsIn(lines[i] ?? ''), output).toContain(labelled[agent]);
    }
    expect(lines[AGENTS.length]).toBe('copilot-cache=');
  });

  it('runs as uid 1000 with /root traversable and every repository safe for git', async () => {
    const output = await inContainer(
      'echo "uid=$(id -u) gid=$(id -g) user=$(id -un)"; echo "root=$(stat -c %a /root)"; ' +
        'echo "safe=$(git config --system --get safe.directory)"',
    );
    expect(output.trim().split('\n')).toEqual(['uid=1000 gid=1000 user=speckit', 'root=755', 'safe=*']);
  });

  it('SCRIPTED_AGENT_NOOP leaves a Spec Kit repository untouched', async () => {
    const output = await inContainer(
      `cd "$(mktemp -d)"
git init -q -b main
specify init --here --force --non-interactive --integration codex --script sh --ignore-agent-tools >/dev/null
git add -A
git -c user.name=test -c user.email=test@localhost commit -q -m init
before=$(git status --porcelain --ignored; git branch --list)
scripted-agent specify "x"
echo "---"
after=$(git status --porcelain --ignored; git branch --list)
[ "$before" = "$after" ] || { printf 'changed:\\n%s\\n---\\n%s\\n' "$before" "$after"; exit 1; }
test ! -e .specify/feature.json && test ! -e specs
echo "status=[$(git status --porcelain)] branch=$(git branch --show-current)"`,
      { SCRIPTED_AGENT_NOOP: '1' },
    );
    const [agent, after] = output.split('---\n');
    expect(agent).toBe('[scripted-agent] specify: nothing to do (SCRIPTED_AGENT_NOOP)\n');
    expect(after).toBe('status=[] branch=main\n');
  });

  it('SCRIPTED_AGENT_NOOP still checks usage and applies the fail option first', async () => {
    const output = await inContainer(
      `cd "$(mktemp -d)"
mkdir .specify
code() { "$@" >/dev/null 2>&1 && echo 0 || echo $?; }
echo "missing-description=$(code scripted-agent specify)"
echo "unknown-phase=$(code scripted-agent frobnicate)"
echo "bad-value=$(SCRIPTED_AGENT_NOOP=yes code scripted-agent plan)"
echo "fail-first=$(SCRIPTED_AGENT_FAIL_PHASE=plan SCRIPTED_AGENT_FAIL_EXIT_CODE=7 code scripted-agent plan)"
echo "true=$(SCRIPTED_AGENT_NOOP=true code scripted-agent tasks)"
ls -A`,
      { SCRIPTED_AGENT_NOOP: '1' },
    );
    expect(output.trim().split('\n')).toEqual([
      'missing-description=2',
      'unknown-phase=2',
      'bad-value=2',
      'fail-first=7',
      'true=0',
      '.specify',
    ]);
  });
});
