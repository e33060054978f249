-- Up Migration
CREATE TABLE runs (
  run_id          text PRIMARY KEY,
  workflow_id     text NOT NULL,
  repo            text NOT NULL,
  base_branch     text NOT NULL,
  feature_branch  text,
  status          text NOT NULL CHECK (status IN ('queued', 'in_progress', 'succeeded', 'no_changes', 'failed', 'cancelled')),
  agent_backend   text NOT NULL,
  phases          text[] NOT NULL,
  publish_mode    text NOT NULL,
  commit_sha      text,
  artifacts_dir   text NOT NULL,
  error           text,
  worker_host     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX runs_repo_idx ON runs (repo);
CREATE INDEX runs_status_idx ON runs (status);

CREATE TABLE phase_states (
  run_id        text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  phase         text NOT NULL,
  attempt       integer NOT NULL,
  status        text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  exit_code     integer,
  container_id  text,
  stdout_path   text,
  stderr_path   text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  duration_ms   integer,
  PRIMARY KEY (run_id, phase, attempt)
);

-- Down Migration
DROP TABLE phase_states;
DROP TABLE runs;
