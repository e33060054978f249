/**
 * A polling worker renews its long poll at least every minute or so; Temporal remembers a poller
 * for minutes after it stopped, so only a recent one counts as polling.
 */
const POLLER_FRESH_MS = 90_000;

/** Whether a poller Temporal lists (its last access) polls the task queue now. */
export function isPolling(lastAccess: Date | undefined, now = Date.now()): boolean {
  return (lastAccess?.getTime() ?? 0) >= now - POLLER_FRESH_MS;
}
