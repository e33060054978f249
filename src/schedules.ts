import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleHandle,
  ScheduleOverlapPolicy,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { type RetentionSweepInput, retentionSweep } from './workflows/retention-sweep.js';

export const RETENTION_SCHEDULE_ID = 'speckit-retention-sweep';

export interface RetentionScheduleOptions {
  taskQueue: string;
  retentionDays: number;
  /** How often the sweep runs. Default 1 hour. */
  interval?: Duration;
  /** Tests use their own; every worker of a deployment shares the default. */
  scheduleId?: string;
}

/**
 * Creates the retention sweep's schedule, or brings an existing one up to date with these
 * options; safe from every worker at start. A sweep still running when the next is due is skipped.
 */
export async function ensureRetentionSchedule(
  client: Client,
  { taskQueue, retentionDays, interval = '1h', scheduleId = RETENTION_SCHEDULE_ID }: RetentionScheduleOptions,
): Promise<ScheduleHandle> {
  const args: [RetentionSweepInput] = [{ retentionDays }];
  const schedule: Omit<ScheduleUpdateOptions, 'state'> = {
    spec: { intervals: [{ every: interval }] },
    action: {
      type: 'startWorkflow',
      workflowType: retentionSweep,
      workflowId: scheduleId,
      taskQueue,
      args,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  };
  try {
    return await client.schedule.create({ scheduleId, ...schedule });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const handle = client.schedule.getHandle(scheduleId);
    // An operator's pause (and its note) outlives a worker restart.
    await handle.update(({ state }) => ({ ...schedule, state: { paused: state.paused, note: state.note } }));
    return handle;
  }
}
