// This project: the built CLI's `run --wait --json`, as an operator runs it, against the bench's
// worker. Besides the wall time, what the CLI costs on its own: from its start to Temporal's record
// of the workflow's start, and how long it lives on after printing the result.
import { Client, Connection } from '@temporalio/client';
import { CLI } from './paths.js';
import { check } from './proc.js';
import type { SampleRepos } from './sample-repo.js';
import { FEATURE_TEXT, type SideRun } from './side.js';

const STACK_HTTP_URL = `http://127.0.0.1:${process.env.TEMPORAL_HTTP_PORT ?? 7243}`;

export interface ProjectRun extends SideRun {
  runId: string;
  artifactsDir: string;
  /** CLI process start → the workflow's start time as Temporal recorded it. */
  startToWorkflowMs: number;
  /** The JSON result printed → the CLI process gone. */
  exitLagMs: number;
  /** Each step's duration inside its container, as the run reports it. */
  phases: { name: string; durationMs: number | null }[];
}

interface RunReport {
  runId: string;
  status: string;
  branch: string | null;
  artifactsDir: string | null;
  error: string | null;
  /** `steps` since the run's contract moved to src/run/; `phases` before. */
  steps?: StepReport[];
  phases?: StepReport[];
}

interface StepReport {
  name: string;
  status: string;
  durationMs: number | null;
}

export class ProjectSide {
  private constructor(private readonly temporal: Client) {}

  static async connect(): Promise<ProjectSide> {
    const connection = await Connection.connect({
      address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    });
    return new ProjectSide(
      new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' }),
    );
  }

  async close(): Promise<void> {
    await this.temporal.connection.close();
  }

  /** One run through the CLI; `extraArgs` adds run options (phases, publish mode). */
  async run(repo: string, taskQueue: string, extraArgs: string[] = []): Promise<ProjectRun> {
    const done = await check(
      process.execPath,
      [CLI, 'run', '--repo', repo, '--text', FEATURE_TEXT, '--wait', '--json', ...extraArgs],
      // Started through the local stack's Temporal HTTP API, as its operator would (scripts/stack.sh).
      { env: { TEMPORAL_HTTP_URL: STACK_HTTP_URL, ...process.env, SPECKIT_TASK_QUEUE: taskQueue } },
    );
    const report = JSON.parse(done.stdout) as RunReport;
    if (report.status !== 'succeeded')
      throw new Error(`run ${report.runId} ${report.status}: ${report.error}`);
    const started = (await this.temporal.workflow.getHandle(report.runId).describe()).startTime.getTime();
    return {
      ms: done.ms,
      remote: repo,
      branch: report.branch ?? '',
      runId: report.runId,
      artifactsDir: report.artifactsDir ?? '',
      startToWorkflowMs: started - done.spawnedAt,
      exitLagMs: done.exitedAt - (done.lastStdoutAt ?? done.exitedAt),
      phases: (report.steps ?? report.phases ?? []).map((p) => ({ name: p.name, durationMs: p.durationMs })),
    };
  }

  /**
   * The floor under "CLI start → workflow started": Node alone, sending the same start request to
   * the same HTTP API, for a workflow on a queue nobody polls (terminated once measured).
   */
  async nodeAloneStart(): Promise<number> {
    const workflowId = `bench-node-alone-${process.pid}-${Date.now()}`;
    const url = `${STACK_HTTP_URL}/api/v1/namespaces/${this.temporal.options.namespace}/workflows/${workflowId}`;
    const body = JSON.stringify({
      workflowType: { name: 'benchNodeAlone' },
      taskQueue: { name: `${workflowId}-unpolled` },
    });
    const script = `const r = require('node:http').request(process.argv[1], { method: 'POST' }, (a) => a.resume());
r.on('error', (e) => { throw e; }); r.end(process.argv[2]);`;
    const done = await check(process.execPath, ['-e', script, url, body]);
    const handle = this.temporal.workflow.getHandle(workflowId);
    const started = (await handle.describe()).startTime.getTime();
    await handle.terminate('bench: measured');
    return started - done.spawnedAt;
  }

  side(repos: SampleRepos, taskQueue: string) {
    return async (id: string): Promise<ProjectRun> => this.run(await repos.fresh(`project-${id}`), taskQueue);
  }
}
