// `npm run bench:load`: many runs at once on one worker, each agent phase a minute long (the
// scripted agent's delaySeconds test hook): whether all succeed, the makespan, what the worker and
// the Temporal server cost meanwhile (resident size, CPU time), and the heartbeat rate the server
// takes. See README "Benchmarks". Not part of `npm test`, nor of `npm run bench`.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ensureNamespace } from './load-namespace.js';
import { parseLoadOptions } from './load-options.js';
import { loadAverage, machineLine } from './machine.js';
import { cpuSeconds, processMemory } from './proc-usage.js';
import { RateSampler } from './rate-sampler.js';
import { row } from './report.js';
import { SampleRepos } from './sample-repo.js';
import { FEATURE_TEXT } from './side.js';
import { formatMb, formatSeconds, median } from './stats.js';
import { findTemporalServer, heartbeatsServed } from './temporal-server.js';
import { BenchWorker, MemorySampler } from './worker.js';

const NAMESPACE = 'speckit-bench-load';

/** The part of a run's summary (src/run/summary.ts) the figures use. */
interface RunReport {
  status: string;
  error?: string | null;
  steps: { name: string; durationMs?: number }[];
}
const opts = parseLoadOptions(process.argv.slice(2));
const say = (line: string) => console.log(line);
const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';

say(`speckit-automation load bench: ${new Date().toISOString()}`);
say(machineLine());
say(
  `${opts.runs} runs at once on one worker: clone → init → ${opts.phases.join(', ')} (scripted agent, ${opts.delaySeconds} s each) → commit → push`,
);

const workRoot = await mkdtemp(path.join(os.tmpdir(), 'speckit-bench-load-'));
// Job containers (uid 1000) reach their run directories below it.
await chmod(workRoot, 0o755);
const connection = await Connection.connect({ address });
let worker: BenchWorker | undefined;
const cleanUp = async () => {
  await worker?.stop().catch(() => undefined);
  await connection.close();
  if (!opts.keep) await rm(workRoot, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

let failed = 0;
try {
  await ensureNamespace(connection, NAMESPACE);
  const temporal = await findTemporalServer(address);
  const { metricsUrl } = temporal;
  worker = await BenchWorker.start({
    taskQueue: `speckit-bench-load-${process.pid}`,
    workspaceRoot: path.join(workRoot, 'workspaces'),
    logFile: path.join(workRoot, 'worker.log'),
    env: {
      TEMPORAL_NAMESPACE: NAMESPACE,
      SPECKIT_TEST_HOOKS: '1',
      // Nothing of the bench's own to sweep; no schedule left behind in its namespace.
      SPECKIT_RETENTION_SCHEDULE: 'false',
    },
  });
  const workerPid = worker.pid;
  say(
    `worker: pid ${workerPid}, task queue ${worker.taskQueue}, namespace ${NAMESPACE}, ${formatMb((await worker.memory()).rssKb)} resident after start`,
  );
  say(`temporal: pid ${temporal.pid}, metrics ${metricsUrl ?? 'not found: no heartbeat count'}`);

  const repos = new SampleRepos(path.join(workRoot, 'remotes'));
  const remotes: string[] = [];
  for (let i = 0; i < opts.runs; i++) remotes.push(await repos.fresh(`load-${i}`));

  const client = new Client({ connection, namespace: NAMESPACE });
  const heartbeats = () =>
    metricsUrl ? heartbeatsServed(metricsUrl, NAMESPACE) : Promise.resolve(Number.NaN);
  const before = {
    worker: await processMemory(workerPid),
    workerCpu: await cpuSeconds(workerPid),
    temporal: await processMemory(temporal.pid),
    temporalCpu: await cpuSeconds(temporal.pid),
    heartbeats: await heartbeats(),
  };
  const workerMemory = new MemorySampler(worker, 250);
  const temporalMemory = new MemorySampler({ memory: () => processMemory(temporal.pid) }, 250);
  const heartbeatRate = new RateSampler(heartbeats);
  for (const sampler of [workerMemory, temporalMemory, heartbeatRate]) sampler.start();

  say(`\nstarting ${opts.runs} runs (load ${loadAverage()})`);
  const start = performance.now();
  const handles = await Promise.all(
    remotes.map((repo, i) =>
      client.workflow.start('specKitRun', {
        workflowId: `bench-load-${process.pid}-${i}`,
        taskQueue: worker?.taskQueue as string,
        args: [
          {
            repo,
            specifyText: FEATURE_TEXT,
            phases: opts.phases,
            agent: { backend: 'scripted', options: { delaySeconds: opts.delaySeconds } },
          },
        ],
      }),
    ),
  );
  const outcomes = await Promise.all(
    handles.map((h) =>
      h.result().then(
        (summary: RunReport) => ({ ...summary, ms: performance.now() - start }),
        (err: Error): RunReport & { ms: number } => ({
          status: 'failed',
          error: err.message,
          steps: [],
          ms: performance.now() - start,
        }),
      ),
    ),
  );
  const makespanMs = performance.now() - start;
  for (const sampler of [workerMemory, temporalMemory, heartbeatRate]) sampler.stop();

  const after = {
    worker: await processMemory(workerPid),
    workerCpu: await cpuSeconds(workerPid),
    temporal: await processMemory(temporal.pid),
    temporalCpu: await cpuSeconds(temporal.pid),
    heartbeats: await heartbeats(),
  };
  const succeeded = outcomes.filter((o) => o.status === 'succeeded');
  failed = outcomes.length - succeeded.length;
  const seconds = makespanMs / 1000;
  const cpu = (s: number) => `${s.toFixed(1)} s CPU (${((s / seconds) * 100).toFixed(1)}% of one core)`;
  const memory = (b: number, peak: number, hwm: number) =>
    `${formatMb(b)} before → peak ${formatMb(peak)} during the runs (VmHWM since start ${formatMb(hwm)})`;
  const beats = after.heartbeats - before.heartbeats;
  const done = outcomes.map((o) => o.ms);

  say('');
  say(row('runs succeeded', `${succeeded.length} / ${outcomes.length}`, 'all'));
  for (const o of outcomes.filter((o) => o.status !== 'succeeded')) say(`    ${o.status}: ${o.error}`);
  say(
    row(
      'makespan',
      `${formatSeconds(makespanMs)} (runs done after ${formatSeconds(Math.min(...done))} to ${formatSeconds(Math.max(...done))}, median ${formatSeconds(median(done))})`,
    ),
  );
  // Where a run's time goes: its steps inside their containers, and everything else.
  const inContainers = succeeded.map((o) => o.steps.reduce((sum, p) => sum + (p.durationMs ?? 0), 0));
  const stepMs = (o: RunReport, name: string) => o.steps.find((p) => p.name === name)?.durationMs ?? 0;
  const steps = (succeeded[0]?.steps ?? []).map(
    ({ name }) => `${name} ${(median(succeeded.map((o) => stepMs(o, name))) / 1000).toFixed(1)}`,
  );
  say(
    row(
      'run: inside the containers (median)',
      `${formatSeconds(median(inContainers))} (${steps.join(', ')} s)`,
    ),
  );
  say(
    row(
      'run: outside them (median)',
      formatSeconds(median(succeeded.map((o, i) => o.ms - (inContainers[i] ?? 0)))),
    ),
  );
  say(
    row(
      'worker RSS',
      memory(before.worker.rssKb, Math.max(workerMemory.peakRssKb, after.worker.rssKb), after.worker.hwmKb),
    ),
  );
  say(row('worker CPU during the runs', cpu(after.workerCpu - before.workerCpu)));
  say(
    row(
      'Temporal server RSS',
      memory(
        before.temporal.rssKb,
        Math.max(temporalMemory.peakRssKb, after.temporal.rssKb),
        after.temporal.hwmKb,
      ),
    ),
  );
  say(row('Temporal server CPU during the runs', cpu(after.temporalCpu - before.temporalCpu)));
  say(
    row(
      'heartbeats taken by the server',
      `${beats} (${(beats / seconds).toFixed(1)}/s over the makespan, ${(beats / seconds / opts.runs).toFixed(2)}/s per run; peak ${heartbeatRate.peakPerSecond.toFixed(1)}/s over 10 s)`,
    ),
  );
  say(`\nload average at the end: ${loadAverage()}`);
} finally {
  await cleanUp();
}
if (failed) process.exit(1);
