-- Up Migration
-- One row per file in a run's artifacts directory; `path` is relative to runs.artifacts_dir.
CREATE TABLE artifacts (
  run_id      text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  phase       text,
  kind        text NOT NULL CHECK (kind IN ('stdout', 'stderr', 'result', 'diff', 'summary', 'status', 'environment', 'other')),
  path        text NOT NULL,
  media_type  text NOT NULL,
  size_bytes  bigint NOT NULL,
  sha256      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  expired_at  timestamptz,
  UNIQUE (run_id, path)
);
CREATE INDEX artifacts_unexpired_idx ON artifacts (expires_at) WHERE expired_at IS NULL;

-- The agent a run used; options hold the rest of its configuration, secrets masked.
CREATE TABLE agent_configs (
  id          bigserial PRIMARY KEY,
  run_id      text NOT NULL UNIQUE REFERENCES runs (run_id) ON DELETE CASCADE,
  backend     text NOT NULL,
  version     text,
  model       text,
  options     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Set once the retention sweep has removed the run's workspace, so it is never swept twice.
ALTER TABLE runs ADD COLUMN expired_at timestamptz;
CREATE INDEX runs_finished_at_idx ON runs (finished_at) WHERE expired_at IS NULL;

-- Down Migration
DROP INDEX runs_finished_at_idx;
ALTER TABLE runs DROP COLUMN expired_at;
DROP TABLE agent_configs;
DROP TABLE artifacts;
