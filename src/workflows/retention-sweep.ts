import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

export interface RetentionSweepInput {
  /** How long finished runs are kept; never less than 7 days (the artifacts' promise). Default 7. */
  retentionDays?: number;
  /** Overrides retentionDays below the minimum: for tests and deliberate manual sweeps only. */
  retentionMs?: number;
  /** The sweep's reference time (ISO 8601); default: when the workflow runs. */
  now?: string;
}

export interface RetentionSweepResult {
  runsDeleted: number;
  artifactsExpired: number;
  containersRemoved: number;
  /** Runs past the retention that are still going, left untouched. */
  skippedActive: number;
  /** Runs whose artifacts were copied to the archive (SPECKIT_ARCHIVE_S3_BUCKET) before deletion. */
  runsArchived: number;
  /** Runs kept because archiving them failed; the next sweep tries again. */
  archiveFailed: number;
}

export const MIN_RETENTION_DAYS = 7;
const DAY_MS = 24 * 3600_000;

const { sweepExpiredRuns, removeOrphanContainers } = proxyActivities<Activities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 },
});

/**
 * Removes what retention no longer keeps: the workspaces of runs finished longer ago than the
 * retention (their artifacts are marked expired in the index), and job containers left behind.
 * Started by the `speckit-retention-sweep` schedule (src/schedules.ts).
 */
export async function retentionSweep(input: RetentionSweepInput = {}): Promise<RetentionSweepResult> {
  const now = input.now ? new Date(input.now) : new Date();
  if (Number.isNaN(now.getTime())) {
    throw ApplicationFailure.nonRetryable(`now must be an ISO 8601 time, got ${input.now}`, 'InvalidInput');
  }
  const cutoff = new Date(now.getTime() - retentionMs(input));
  const runs = await sweepExpiredRuns({ cutoff: cutoff.toISOString() });
  const { containersRemoved } = await removeOrphanContainers({ now: now.toISOString() });
  return { ...runs, containersRemoved };
}

function retentionMs({ retentionDays = MIN_RETENTION_DAYS, retentionMs }: RetentionSweepInput): number {
  if (retentionMs !== undefined) {
    if (retentionMs > 0) return retentionMs;
    throw ApplicationFailure.nonRetryable(`retentionMs must be positive, got ${retentionMs}`, 'InvalidInput');
  }
  if (retentionDays >= MIN_RETENTION_DAYS) return retentionDays * DAY_MS;
  throw ApplicationFailure.nonRetryable(
    `retention of ${retentionDays} days is below the ${MIN_RETENTION_DAYS}-day minimum: set SPECKIT_RETENTION_DAYS to ${MIN_RETENTION_DAYS} or more`,
    'InvalidInput',
  );
}
