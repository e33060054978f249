import os from 'node:os';
import path from 'node:path';
import * as z from 'zod/mini';
import type { AgentEndpoint } from './agents/agent-driver.js';
import { passthroughFrom } from './agents/agent-environment.js';
import type { JobLimits } from './containers/job-runner.js';
import { type MetricsOptions, metricsConfigFromEnv } from './metrics-config.js';
import { AGENT_BACKENDS, type AgentConfig } from './run/input.js';
import type { ArtifactArchiveOptions } from './storage/artifact-archive.js';
import './zod-english.js';

// Every default points at the embedded stack that `npm run stack:up` starts, so nothing has to be
// set to use it; each can be overridden from the environment (README: "Configuration").
// As in scripts/lib.sh: root's state stays out of /root, which job containers cannot traverse.
function defaultStateDir(): string {
  return process.getuid?.() === 0
    ? '/var/lib/speckit-automation'
    : path.join(os.homedir(), '.local/share/speckit-automation');
}

const nonEmpty = () => z.string().check(z.minLength(1));
/** An environment variable that must match `pattern` when set. */
const matching = (pattern: RegExp, message: string) =>
  z.optional(z.string().check(z.regex(pattern, message)));
/** A whole number of at least `min`; `fallback` when unset. */
const count = (min: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(min)), fallback);
const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const envSchema = z.object({
  TEMPORAL_ADDRESS: z._default(z.string(), '127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z._default(z.string(), 'default'),
  TEMPORAL_UI_URL: z._default(z.url(), 'http://127.0.0.1:8233'),
  // Temporal's HTTP API: when set, the CLI starts runs (and `run --wait --json` waits) through it (cli/temporal-http.ts).
  TEMPORAL_HTTP_URL: z.optional(z.url()),
  SPECKIT_TASK_QUEUE: z._default(z.string(), 'speckit-runs'),
  // Names this worker host: a run's workspace steps go to its own task queue (README: "Several
  // hosts"). It must stay the same across restarts, so in a container set it rather than rely on
  // the container's hostname.
  SPECKIT_HOST_ID: matching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, "must be letters, digits, '.', '_' or '-'"),
  DATABASE_URL: z._default(z.string(), 'postgres://speckit@127.0.0.1:54329/speckit'),
  SPECKIT_STATE_DIR: z.optional(nonEmpty()),
  /** Default: $SPECKIT_STATE_DIR/workspaces. */
  SPECKIT_WORKSPACE_ROOT: z.optional(nonEmpty()),
  // The named volume mounted at SPECKIT_WORKSPACE_ROOT when the worker runs in a container
  // (src/containers/workspace-mounts.ts); empty or unset: the root is a host directory.
  SPECKIT_WORKSPACE_VOLUME: matching(/^([A-Za-z0-9][A-Za-z0-9_.-]+)?$/, 'must be a Docker volume name'),
  // The clone cache (src/git/clone-cache.ts): on the workspace volume by default, so it works
  // whether the workspaces are a host directory or a named volume; empty turns it off.
  SPECKIT_CLONE_CACHE_DIR: z.optional(z.string()),
  SPECKIT_CLONE_CACHE_MAX_MB: count(1, 2048),
  SPECKIT_JOB_IMAGE: z._default(z.string(), 'speckit-job:local'),
  SPECKIT_AGENT: z._default(z.enum(AGENT_BACKENDS), 'codex'),
  SPECKIT_AGENT_MODEL: z.optional(nonEmpty()),
  SPECKIT_AGENT_EXTRA_ARGS: z.optional(z.string()),
  // The agent's model API (README "Agents"); empty means the vendor's default endpoint.
  SPECKIT_AGENT_BASE_URL: z.optional(z.union([z.literal(''), httpUrl()])),
  // Azure-style gateways: query parameters on every request (`api-version=2025-04-01-preview&a=b`)
  // and the header that carries the key (`api-key`).
  SPECKIT_AGENT_QUERY_PARAMS: matching(
    /^([^=&\s]+=[^&\s]*(&[^=&\s]+=[^&\s]*)*)?$/,
    'must be name=value pairs joined by &',
  ),
  SPECKIT_AGENT_KEY_HEADER: matching(/^([A-Za-z0-9-]+)?$/, 'must be an HTTP header name'),
  GITHUB_API_URL: z.optional(z.url()),
  SPECKIT_PR_DRAFT: z._default(z.stringbool(), true),
  SPECKIT_PR_LABELS: z._default(z.string(), 'spec-kit'),
  SPECKIT_PR_TITLE_TEMPLATE: z.optional(nonEmpty()),
  SPECKIT_JOB_NETWORK: z._default(nonEmpty(), 'bridge'),
  SPECKIT_BRANCH_PREFIX: z._default(z.string(), 'speckit/'),
  SPECKIT_GIT_AUTHOR_NAME: z._default(z.string(), 'Spec Kit Automation'),
  SPECKIT_GIT_AUTHOR_EMAIL: z._default(z.string(), 'speckit-automation@localhost'),
  SPECKIT_RETENTION_DAYS: count(7, 7),
  SPECKIT_RETENTION_SCHEDULE: z._default(z.stringbool(), true),
  SPECKIT_RETENTION_SWEEP_INTERVAL: z._default(
    z.string().check(z.regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as 30m, 1h or 1d')),
    '1h',
  ),
  // Copying artifacts to object storage before retention deletes them: off unless a bucket is set
  // (empty counts as unset). Credentials are not configuration: the AWS SDK finds them (AWS_*).
  SPECKIT_ARCHIVE_S3_BUCKET: matching(
    /^([A-Za-z0-9._-]{3,255})?$/,
    'must be a bucket name (letters, digits, dots, hyphens, underscores)',
  ),
  SPECKIT_ARCHIVE_S3_PREFIX: z._default(
    z
      .string()
      .check(z.refine((p) => !p.startsWith('/'), 'must not start with / (keys are relative to the bucket)')),
    'speckit/',
  ),
  SPECKIT_ARCHIVE_S3_ENDPOINT: z.optional(httpUrl()),
  SPECKIT_ARCHIVE_S3_REGION: z._default(nonEmpty(), 'us-east-1'),
  SPECKIT_ARCHIVE_S3_FORCE_PATH_STYLE: z.optional(z.stringbool()),
  // Job containers never run as root; a root worker hands them the run directory (image user 1000).
  SPECKIT_JOB_USER: matching(/^\d+:\d+$/, 'must be uid:gid'),
  SPECKIT_JOB_MEMORY_MB: count(64, 2048),
  SPECKIT_JOB_CPUS: z._default(z.coerce.number().check(z.positive()), 1),
  SPECKIT_JOB_PIDS_LIMIT: count(16, 512),
  // Off in production: runs may use the scripted agent's test hooks (agents/test-hooks.ts) only on
  // a worker that tests or demos start with it on.
  SPECKIT_TEST_HOOKS: z._default(z.stringbool(), false),
  LOG_LEVEL: z._default(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']), 'info'),
});

export interface Config {
  temporal: {
    address: string;
    namespace: string;
    uiUrl: string;
    /** Temporal's HTTP API, where the CLI starts runs when set; else over gRPC at `address`. */
    httpUrl?: string;
    /** Runs (workflows) and the steps any host may take. */
    taskQueue: string;
    /** This host's own: the steps of runs whose workspace it holds. */
    hostTaskQueue: string;
  };
  /** This worker host's name (SPECKIT_HOST_ID, else the machine's hostname). */
  hostId: string;
  databaseUrl: string;
  workspaceRoot: string;
  /** The named volume holding the workspaces; undefined: workspaceRoot is a host directory. */
  workspaceVolume?: string;
  /** Per-host bare mirrors that clones start from; undefined: every clone moves the whole history. */
  cloneCache?: CloneCacheConfig;
  jobImage: string;
  /** The worker's agent: runs that name no backend use it; its extra args go to every run of it. */
  defaultAgent: AgentConfig;
  agentEndpoint: AgentEndpoint;
  /** Proxies and trust stores of the worker's environment, handed to agents as they are. */
  agentPassthrough: Record<string, string>;
  pullRequests: { apiUrl?: string; draft: boolean; labels: string[]; titleTemplate?: string };
  /** Docker network of job containers (`host` lets them reach remotes on the worker's loopback). */
  jobNetwork: string;
  branchPrefix: string;
  gitAuthor: { name: string; email: string };
  retentionDays: number;
  retentionSweepInterval: string;
  /** Whether this worker creates (or updates) the retention sweep's Temporal Schedule at start. */
  retentionSchedule: boolean;
  /** Where retention copies a run's artifacts before deleting them; undefined: archiving off. */
  archive?: ArtifactArchiveOptions;
  metrics: MetricsOptions;
  jobUser: string;
  jobLimits: JobLimits;
  /** Whether runs may use the scripted agent's test hooks (`agent.options`); false in production. */
  testHooks: boolean;
  logLevel: string;
}

export interface CloneCacheConfig {
  dir: string;
  /** Least recently used mirrors are evicted above this, except those a run is using. */
  maxMb: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`invalid environment configuration:\n${problems}\nFix these variables and retry.`);
  }
  const e = parsed.data;
  const stateDir = e.SPECKIT_STATE_DIR ?? defaultStateDir();
  const workspaceRoot = path.resolve(e.SPECKIT_WORKSPACE_ROOT ?? path.join(stateDir, 'workspaces'));
  const workspaceVolume = e.SPECKIT_WORKSPACE_VOLUME || undefined;
  const hostId = e.SPECKIT_HOST_ID ?? os.hostname();
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      uiUrl: e.TEMPORAL_UI_URL,
      httpUrl: e.TEMPORAL_HTTP_URL,
      taskQueue: e.SPECKIT_TASK_QUEUE,
      hostTaskQueue: `${e.SPECKIT_TASK_QUEUE}@${hostId}`,
    },
    hostId,
    databaseUrl: e.DATABASE_URL,
    workspaceRoot,
    workspaceVolume,
    cloneCache: cloneCacheFrom(
      e.SPECKIT_CLONE_CACHE_DIR,
      e.SPECKIT_CLONE_CACHE_MAX_MB,
      workspaceRoot,
      workspaceVolume,
    ),
    jobImage: e.SPECKIT_JOB_IMAGE,
    defaultAgent: {
      backend: e.SPECKIT_AGENT,
      model: e.SPECKIT_AGENT_MODEL,
      extraArgs: e.SPECKIT_AGENT_EXTRA_ARGS?.split(/\s+/).filter(Boolean),
    },
    agentEndpoint: {
      baseUrl: e.SPECKIT_AGENT_BASE_URL || undefined,
      queryParams: e.SPECKIT_AGENT_QUERY_PARAMS
        ? Object.fromEntries(new URLSearchParams(e.SPECKIT_AGENT_QUERY_PARAMS))
        : undefined,
      keyHeader: e.SPECKIT_AGENT_KEY_HEADER || undefined,
    },
    agentPassthrough: passthroughFrom(env),
    pullRequests: {
      apiUrl: e.GITHUB_API_URL,
      draft: e.SPECKIT_PR_DRAFT,
      labels: e.SPECKIT_PR_LABELS.split(',')
        .map((l) => l.trim())
        .filter(Boolean),
      titleTemplate: e.SPECKIT_PR_TITLE_TEMPLATE,
    },
    jobNetwork: e.SPECKIT_JOB_NETWORK,
    branchPrefix: e.SPECKIT_BRANCH_PREFIX,
    gitAuthor: { name: e.SPECKIT_GIT_AUTHOR_NAME, email: e.SPECKIT_GIT_AUTHOR_EMAIL },
    retentionDays: e.SPECKIT_RETENTION_DAYS,
    retentionSweepInterval: e.SPECKIT_RETENTION_SWEEP_INTERVAL,
    retentionSchedule: e.SPECKIT_RETENTION_SCHEDULE,
    archive: e.SPECKIT_ARCHIVE_S3_BUCKET
      ? {
          bucket: e.SPECKIT_ARCHIVE_S3_BUCKET,
          prefix: e.SPECKIT_ARCHIVE_S3_PREFIX,
          endpoint: e.SPECKIT_ARCHIVE_S3_ENDPOINT,
          region: e.SPECKIT_ARCHIVE_S3_REGION,
          // S3-compatible servers mostly serve buckets by path only; AWS S3 prefers virtual hosts.
          forcePathStyle:
            e.SPECKIT_ARCHIVE_S3_FORCE_PATH_STYLE ?? e.SPECKIT_ARCHIVE_S3_ENDPOINT !== undefined,
        }
      : undefined,
    metrics: metricsFrom(env),
    jobUser: e.SPECKIT_JOB_USER ?? defaultJobUser(),
    jobLimits: {
      memoryBytes: e.SPECKIT_JOB_MEMORY_MB * 1024 * 1024,
      nanoCpus: Math.round(e.SPECKIT_JOB_CPUS * 1e9),
      pidsLimit: e.SPECKIT_JOB_PIDS_LIMIT,
    },
    testHooks: e.SPECKIT_TEST_HOOKS,
    logLevel: e.LOG_LEVEL,
  };
}

function cloneCacheFrom(
  dir: string | undefined,
  maxMb: number,
  workspaceRoot: string,
  workspaceVolume: string | undefined,
): CloneCacheConfig | undefined {
  if (dir === '') return undefined;
  const resolved = dir === undefined ? path.join(workspaceRoot, 'clone-cache') : path.resolve(dir);
  const inside = path.relative(workspaceRoot, resolved);
  // Job containers can only be given what the engine's host sees: with a volume, that is the volume.
  if (workspaceVolume && (inside.startsWith('..') || path.isAbsolute(inside))) {
    throw new ConfigError(
      `SPECKIT_CLONE_CACHE_DIR ${resolved} is outside SPECKIT_WORKSPACE_ROOT, but with ` +
        'SPECKIT_WORKSPACE_VOLUME set the cache must be on the workspace volume: leave it unset ' +
        `(${path.join(workspaceRoot, 'clone-cache')}), put it under the workspace root, or set it empty to turn the cache off.`,
    );
  }
  if (inside === '' || inside === 'runs' || inside.startsWith(`runs${path.sep}`)) {
    throw new ConfigError(
      `SPECKIT_CLONE_CACHE_DIR ${resolved} would mix the cache with the runs' workspaces: use a directory of its own, such as ${path.join(workspaceRoot, 'clone-cache')}.`,
    );
  }
  return { dir: resolved, maxMb };
}

function metricsFrom(env: NodeJS.ProcessEnv): MetricsOptions {
  try {
    return metricsConfigFromEnv(env);
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\nFix these variables and retry.`);
  }
}

function defaultJobUser(): string {
  const uid = process.getuid?.() ?? 1000;
  return uid === 0 ? '1000:1000' : `${uid}:${process.getgid?.() ?? uid}`;
}
