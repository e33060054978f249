// `npm run bench`: this project side by side with the floor (plain containers doing the same steps)
// and with Spec Kit's own engine, on the same work, and the worker's memory. See README "Benchmarks".
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type CloneStep, cloneCacheSupported, measureClone } from './clone-cache.js';
import { branchContents, type Comparison, compareSides, type SideName } from './compare.js';
import { floorSide } from './floor.js';
import { measureLoudOutput } from './loud-output.js';
import { loadAverage, machineLine } from './machine.js';
import { parseOptions } from './options.js';
import { CLI } from './paths.js';
import { ensureSpecifyVenv, peerSide } from './peer.js';
import { check } from './proc.js';
import { type ProjectRun, ProjectSide } from './project.js';
import { row, type Summary, summaryLine, TARGETS } from './report.js';
import { formatCapacity, formatCpu, type StretchCpu, watchCpu } from './round-cpu.js';
import { SampleRepos } from './sample-repo.js';
import {
  formatMb,
  formatMs,
  formatRatio,
  formatSeconds,
  formatSpread,
  median,
  ratio,
  spread,
} from './stats.js';
import { loadStepScripts } from './step-scripts.js';
import { findTemporalServer } from './temporal-server.js';
import { BenchWorker } from './worker.js';

const opts = parseOptions(process.argv.slice(2));
const say = (line: string) => console.log(line);

say(`speckit-automation bench (${opts.quick ? 'quick' : 'full'}): ${new Date().toISOString()}`);
say(machineLine());
say("absolute times move with the machine's load; the ratios compare sides run in turn under the same load");

const workRoot = await mkdtemp(path.join(os.tmpdir(), 'speckit-bench-'));
// Job containers (uid 1000) reach their run directories below it.
await chmod(workRoot, 0o755);
const repos = new SampleRepos(path.join(workRoot, 'remotes'));
const started: { stop(): Promise<void> }[] = [];
const cleanUp = async () => {
  for (const s of started.reverse()) await s.stop().catch(() => undefined);
  if (!opts.keep) await rm(workRoot, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

const summary: Summary = {};
try {
  const project = await ProjectSide.connect();
  started.push({ stop: () => project.close() });
  const worker = await BenchWorker.start({
    taskQueue: `speckit-bench-${process.pid}`,
    workspaceRoot: path.join(workRoot, 'workspaces'),
    logFile: path.join(workRoot, 'worker.log'),
    // The clone cache as it is by default, but the bench's own (its remotes are throwaway copies).
    env: { SPECKIT_CLONE_CACHE_DIR: path.join(workRoot, 'clone-cache-main') },
  });
  started.push(worker);
  say(
    `worker: pid ${worker.pid}, task queue ${worker.taskQueue}, ${formatMb((await worker.memory()).rssKb)} resident after start`,
  );

  if (opts.sections.has('single')) {
    const help: number[] = [];
    for (let i = 0; i < 5; i++) help.push((await check(process.execPath, [CLI, '--help'])).ms);
    // Measured just before each single run's CLI, as close to the same load as its start.
    const nodeAlone: number[] = [];
    const scripts = await loadStepScripts();
    const venvBin = await ensureSpecifyVenv();
    const projectRuns: ProjectRun[] = [];
    const projectSide = project.side(repos, worker.taskQueue);
    // The CPU each round of N at once used, and on what.
    const temporalPid = await findTemporalServer(process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233').then(
      (server) => server.pid,
      () => undefined,
    );
    const who = { benchPid: process.pid, workerPid: worker.pid, temporalPid };
    const roundsCpu: RoundCpu[] = [];
    say(
      `\nside by side: ${opts.rounds} rounds of one run each, ${opts.concurrentRounds} of ${opts.concurrency} at once (load ${loadAverage()})`,
    );
    const comparison = await compareSides(
      {
        floor: floorSide(workRoot, repos, scripts),
        project: async (id) => {
          const single = id.startsWith('single');
          if (single) nodeAlone.push(await project.nodeAloneStart());
          const run = await projectSide(id);
          if (single) projectRuns.push(run);
          return run;
        },
        peer: peerSide(workRoot, repos, scripts, venvBin),
      },
      {
        ...opts,
        say,
        aroundConcurrent: async (side) => {
          const stop = await watchCpu(who);
          return async (ms) => {
            roundsCpu.push({ side, ms, cpu: await stop() });
          };
        },
      },
    );
    const memory = await worker.memory();
    summary.rssMb = memory.hwmKb / 1024;
    Object.assign(summary, await reportComparison(comparison, projectRuns, { help, nodeAlone }, roundsCpu));
    say(
      row(
        'worker peak RSS (VmHWM)',
        `${formatMb(memory.hwmKb)} (now ${formatMb(memory.rssKb)})`,
        TARGETS.rss,
      ),
    );
  }

  if (opts.sections.has('loud')) {
    const quickNote =
      opts.loudBytes < 1024 ** 3 ? " (quick: less than the target's 1 GB; the full bench prints 1 GB)" : '';
    say(`\n${formatMb(opts.loudBytes / 1024)} of output from one phase${quickNote} (load ${loadAverage()})`);
    const loud = await measureLoudOutput({ bytes: opts.loudBytes, workRoot, repos, project });
    say(
      row(
        `RSS growth while plan prints ${formatMb(loud.bytes / 1024)}`,
        `${formatMb(loud.growthKb)} (${formatMb(loud.baselineKb)} → peak ${formatMb(loud.peakKb)}; plan ${formatSeconds(loud.phaseMs)}, run ${formatSeconds(loud.runMs)})`,
        TARGETS.loud,
      ),
    );
  }

  if (opts.sections.has('clone')) {
    say(`\nrepeat clone of a large repository (load ${loadAverage()})`);
    if (await cloneCacheSupported()) {
      const clone = await measureClone({ workRoot, project, rounds: opts.cloneRounds });
      const plain = cloneSummary(clone.plain);
      const cached = cloneSummary(clone.cached);
      summary.clone = ratio(cached.stepMs.median, plain.stepMs.median);
      say(`  ${clone.repo}`);
      say(row('plain clone step', plain.line));
      say(row('repeat clone step through the cache', cached.line));
      say(row('cached / plain', `${formatRatio(summary.clone)}×`, TARGETS.clone));
    } else {
      say(row('cached / plain', 'n/a: this build has no SPECKIT_CLONE_CACHE_DIR', TARGETS.clone));
    }
  }
  say(`\nload average at the end: ${loadAverage()}`);
} finally {
  await cleanUp();
}
say(summaryLine(summary));

interface RoundCpu {
  side: SideName;
  ms: number;
  cpu: StretchCpu;
}

async function reportComparison(
  c: Comparison,
  projectRuns: ProjectRun[],
  starts: { help: number[]; nodeAlone: number[] },
  roundsCpu: RoundCpu[],
): Promise<Summary> {
  const single = {
    floor: spread(c.single.floor),
    project: spread(c.single.project),
    peer: spread(c.single.peer),
  };
  const many = {
    floor: spread(c.concurrent.floor),
    project: spread(c.concurrent.project),
    peer: spread(c.concurrent.peer),
  };
  const result: Summary = {
    single: ratio(single.project.median, single.floor.median),
    concurrent: ratio(many.project.median, many.floor.median),
    peer: ratio(single.project.median, single.peer.median),
  };
  say('');
  say(row('one run: floor (7 × docker run --rm)', formatSpread(single.floor)));
  say(row('one run: Spec Kit (specify workflow run)', formatSpread(single.peer)));
  say(row('one run: this project (run --wait --json)', formatSpread(single.project)));
  say(row('  ÷ floor', `${formatRatio(result.single)}×`, TARGETS.single));
  say(row('  ÷ Spec Kit', `${formatRatio(result.peer)}×`, TARGETS.peer));
  say(row('10 at once (makespan): floor', formatSpread(many.floor)));
  say(row('10 at once (makespan): Spec Kit', formatSpread(many.peer)));
  say(row('10 at once (makespan): this project', formatSpread(many.project)));
  say(row('  ÷ floor', `${formatRatio(result.concurrent)}×`, TARGETS.concurrent));
  reportRoundCpu(roundsCpu);
  say(
    row(
      'CLI start → workflow started',
      formatSpread(spread(projectRuns.map((r) => r.startToWorkflowMs)), formatMs),
      TARGETS.cliStart,
    ),
  );
  say(row('  Node alone, sending the same start', formatSpread(spread(starts.nodeAlone), formatMs)));
  say(
    row(
      'CLI result printed → CLI exited',
      formatSpread(spread(projectRuns.map((r) => r.exitLagMs)), formatMs),
    ),
  );
  say(row('CLI --help', formatSpread(spread(starts.help), formatMs)));
  // Where a run's time goes: the steps inside their containers, and everything else.
  const names = projectRuns[0]?.phases.map((p) => p.name) ?? [];
  const inContainers = projectRuns.map((r) => r.phases.reduce((sum, p) => sum + (p.durationMs ?? 0), 0));
  const steps = names.map(
    (n) => `${n} ${median(projectRuns.map((r) => r.phases.find((p) => p.name === n)?.durationMs ?? 0))}`,
  );
  say(row('project: inside the containers', `${formatMs(median(inContainers))} (${steps.join(', ')} ms)`));
  say(
    row('project: outside them', formatMs(median(projectRuns.map((r, i) => r.ms - (inContainers[i] ?? 0))))),
  );
  const contents = await branchContents(c.runs);
  const verdict =
    contents.size === 1
      ? `identical in all ${c.runs.length} pushed branches (init's timestamps aside)`
      : `DIFFER: ${[...contents].map(([d, s]) => `${d} (${[...s].join(', ')})`).join('; ')}`;
  say(row('branch contents', verdict));
  return result;
}

/** Each side's rounds of N at once: the CPU they used, on what, and all the CPUs could give. */
function reportRoundCpu(roundsCpu: RoundCpu[]): void {
  const names: Record<SideName, string> = { floor: 'floor', peer: 'Spec Kit', project: 'this project' };
  const cpus = os.cpus().length;
  for (const side of ['floor', 'peer', 'project'] as const) {
    const rounds = roundsCpu.filter((r) => r.side === side);
    rounds.forEach(({ ms, cpu }, i) => {
      const which = `10 at once${rounds.length > 1 ? ` (${i + 1}/${rounds.length})` : ''}`;
      const name = names[side].padEnd(12);
      say(row(`${which}: CPU during the round, ${name}`, formatCpu(cpu)));
      say(row(`${which}: ${cpus} CPUs × makespan, ${name}`, formatCapacity(cpu, cpus, ms)));
    });
  }
}

/** A side's clone steps: their durations' spread, and what the steps said of the cache and the clone. */
function cloneSummary(steps: CloneStep[]) {
  const stepMs = spread(steps.map((s) => s.stepMs));
  const cache = [...new Set(steps.map((s) => s.cache ?? '?'))].join('/');
  const cloneMs = median(steps.map((s) => s.cloneMs ?? Number.NaN));
  return { stepMs, line: `${formatSpread(stepMs)} (cache: ${cache}, clone ${formatMs(cloneMs)} median)` };
}
