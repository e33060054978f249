import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { dockerError, guard, JobImageMissingError, statusCode } from './errors.js';
import { type JobIdentity, jobLabels, jobName, LABELS } from './identity.js';
import { listJobContainers, removeJobContainer } from './job-containers.js';
import { LogDemuxer } from './log-demuxer.js';

export interface JobSpec extends JobIdentity {
  image: string;
  cmd: string[];
  workingDir: string;
  env: Record<string, string>;
  /** Bind mounts as `host:container[:ro]`; the run directory is mounted at its own path. */
  binds: string[];
  user: string;
  /** Where `<step>.stdout.log` and `<step>.stderr.log` are streamed to (`<step>.attempt-N.*` after the first). */
  logDir: string;
  expiresAt: Date;
}

export interface JobLimits {
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
}

export interface JobHostOptions {
  /** This worker host (config hostId): its containers carry it as a label. */
  hostId: string;
  limits: JobLimits;
  /** Docker network mode of every job container. */
  network: string;
  /** A fresh transform that masks secrets in a log stream. */
  redact: () => Transform;
}

export interface JobProgress {
  containerId: string;
  /** Written to the log files: behind what the container printed by what redaction holds back. */
  stdoutBytes: number;
  stderrBytes: number;
  /** What the container has printed so far, as it came. */
  outputBytes: number;
  elapsedMs: number;
}

export interface JobResult {
  containerId: string;
  imageId: string;
  exitCode: number;
  durationMs: number;
  /** From creating the container to its process starting. */
  startLatencyMs: number;
  startedAt: Date;
  stdoutPath: string;
  stderrPath: string;
}

const PROGRESS_INTERVAL_MS = 2_000;

/**
 * Runs one run-to-completion container per (run, step, attempt). A container that already exists
 * under that name (the activity was retried after a worker crash) is waited on, never started twice
 * — unless another host made it: it works in that host's workspace, so it is replaced.
 */
export class JobRunner {
  constructor(
    private readonly docker: Docker,
    private readonly host: JobHostOptions,
  ) {}

  async run(spec: JobSpec, onProgress: (p: JobProgress) => void, signal?: AbortSignal): Promise<JobResult> {
    const container = await this.findOrCreate(spec);
    const info = await container.inspect();
    if (!info.State.Running && info.State.Status === 'created') await container.start();

    const stopOnAbort = () => void container.stop({ t: 5 }).catch(() => undefined);
    signal?.addEventListener('abort', stopOnAbort, { once: true });
    try {
      return await this.collect(container, spec, onProgress);
    } finally {
      signal?.removeEventListener('abort', stopOnAbort);
    }
  }

  /** Fails with a typed error unless the daemon answers and the image is present. */
  async checkReady(image: string): Promise<void> {
    await guard(() => this.docker.ping());
    try {
      await this.docker.getImage(image).inspect();
    } catch (err) {
      if (statusCode(err) === 404) throw new JobImageMissingError(image);
      throw dockerError(err);
    }
  }

  /** Removes every container of a run, running or not. Returns how many were removed. */
  async removeRunContainers(runId: string): Promise<number> {
    const containers = await listJobContainers(this.docker, runId);
    const removed = await Promise.all(containers.map((c) => removeJobContainer(this.docker, c.id)));
    return removed.filter(Boolean).length;
  }

  private async findOrCreate(spec: JobSpec): Promise<Docker.Container> {
    const name = jobName(spec);
    const existing = this.docker.getContainer(name);
    try {
      const host = (await existing.inspect()).Config.Labels?.[LABELS.host];
      // Made before containers named their host: this host's, as it always was.
      if (!host || host === this.host.hostId) return existing;
      await removeJobContainer(this.docker, existing.id);
    } catch (err) {
      if (statusCode(err) !== 404) throw dockerError(err);
    }
    try {
      return await this.docker.createContainer({
        name,
        Image: spec.image,
        Cmd: spec.cmd,
        WorkingDir: spec.workingDir,
        Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
        User: spec.user,
        Labels: { ...jobLabels(spec, spec.expiresAt), [LABELS.host]: this.host.hostId },
        AttachStdin: false,
        OpenStdin: false,
        Tty: false,
        HostConfig: {
          // An init process as PID 1: the step's script forwards no signal itself, and a stop must
          // still end it at once (agent phases run the CLI under a bash script, git/step-scripts).
          Init: true,
          Binds: spec.binds,
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          PidsLimit: this.host.limits.pidsLimit,
          Memory: this.host.limits.memoryBytes,
          NanoCpus: this.host.limits.nanoCpus,
          NetworkMode: this.host.network,
        },
      });
    } catch (err) {
      if (statusCode(err) === 404) throw new JobImageMissingError(spec.image);
      if (statusCode(err) === 409) return this.docker.getContainer(name); // created concurrently
      throw dockerError(err);
    }
  }

  private async collect(
    container: Docker.Container,
    spec: JobSpec,
    onProgress: (p: JobProgress) => void,
  ): Promise<JobResult> {
    await mkdir(spec.logDir, { recursive: true });
    // A step's later attempts keep logs of their own: the first attempt's explain why it was retried.
    const base = spec.attempt > 1 ? `${spec.step}.attempt-${spec.attempt}` : spec.step;
    const stdoutPath = path.join(spec.logDir, `${base}.stdout.log`);
    const stderrPath = path.join(spec.logDir, `${base}.stderr.log`);
    const started = Date.now();
    const logs = (await container.logs({
      follow: true,
      stdout: true,
      stderr: true,
    })) as NodeJS.ReadableStream;
    // The logs are read from the start, so a re-attached worker rewrites the whole files; they
    // pass through redaction on their way, so no secret an agent prints reaches the disk.
    const stdout = redactedFile(stdoutPath, this.host.redact);
    const stderr = redactedFile(stderrPath, this.host.redact);
    const demuxer = new LogDemuxer(stdout.input, stderr.input);
    // Done when the logs have ended and their last bytes are on disk, redaction's held-back tail too.
    const streamed = Promise.all([pipeline(logs, demuxer), stdout.written, stderr.written]);

    const progress = () =>
      onProgress({
        containerId: container.id,
        stdoutBytes: stdout.file.bytesWritten,
        stderrBytes: stderr.file.bytesWritten,
        outputBytes: demuxer.bytesIn,
        elapsedMs: Date.now() - started,
      });
    const timer = setInterval(progress, PROGRESS_INTERVAL_MS);
    try {
      const [{ StatusCode }] = await Promise.all([container.wait(), streamed]);
      const info = await container.inspect();
      return {
        containerId: container.id,
        imageId: info.Image,
        exitCode: StatusCode as number,
        durationMs: Math.max(0, Date.parse(info.State.FinishedAt) - Date.parse(info.State.StartedAt)),
        startLatencyMs: Math.max(0, Date.parse(info.State.StartedAt) - Date.parse(info.Created)),
        startedAt: new Date(info.State.StartedAt),
        stdoutPath,
        stderrPath,
      };
    } finally {
      clearInterval(timer);
      // A failed step's streams, and its connection to the daemon, are not left open.
      demuxer.destroy();
      stdout.destroy();
      stderr.destroy();
    }
  }
}

/** A file fed through a redacting transform: write to `input`; `written` settles once it is on disk. */
function redactedFile(file: string, redact: () => Transform) {
  const input = redact();
  const out = createWriteStream(file);
  return {
    input,
    file: out,
    written: pipeline(input, out),
    destroy() {
      input.destroy();
      out.destroy();
    },
  };
}
