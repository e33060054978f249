import type { Context } from '@temporalio/activity';
import type { ActivityInterceptors, ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Metrics } from './metrics.js';

/**
 * Counts activity retries (`activity.retries`, tagged with the activity): every attempt after the
 * first is one. Install on the worker: `interceptors: { activity: [activityMetrics(metrics)] }`.
 */
export function activityMetrics(metrics: Metrics): ActivityInterceptorsFactory {
  return (ctx: Context): ActivityInterceptors => ({
    inbound: {
      execute(input, next) {
        const { attempt, activityType } = ctx.info;
        if (attempt > 1) metrics.increment('activity.retries', { activity: activityType });
        return next(input);
      },
    },
  });
}
