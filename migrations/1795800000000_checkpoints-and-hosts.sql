-- Up Migration
-- What another worker host needs to resume a run whose host was lost: the repository's state
-- after the run's last completed step, as a git bundle against the cloned commit (null: nothing
-- changed yet), and files the worker wrote itself since (clarification answers).
CREATE TABLE run_checkpoints (
  run_id text PRIMARY KEY REFERENCES runs (run_id) ON DELETE CASCADE,
  step text NOT NULL,
  base_commit text NOT NULL,
  bundle bytea,
  branch text,
  files jsonb NOT NULL DEFAULT '{}',
  saved_at timestamptz NOT NULL DEFAULT now()
);

-- Each worker host says it is alive every few seconds, by its own task queue; a run whose host
-- stopped saying so moves.
CREATE TABLE worker_hosts (
  task_queue text PRIMARY KEY,
  host_id text NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE worker_hosts;
DROP TABLE run_checkpoints;
