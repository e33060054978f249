import type pg from 'pg';

/** Which worker hosts are alive: each says so every few seconds, by its own task queue, while it runs. */
export class WorkerHosts {
  constructor(private readonly pool: pg.Pool) {}

  async beat(host: { hostId: string; taskQueue: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO worker_hosts (task_queue, host_id) VALUES ($1, $2)
       ON CONFLICT (task_queue) DO UPDATE SET host_id = $2, seen_at = now()`,
      [host.taskQueue, host.hostId],
    );
  }

  /** Whether the host polling `taskQueue` said it was alive within the last `withinSeconds`. */
  async alive(taskQueue: string, withinSeconds: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM worker_hosts WHERE task_queue = $1 AND seen_at > now() - make_interval(secs => $2)',
      [taskQueue, withinSeconds],
    );
    return (rowCount ?? 0) > 0;
  }
}
