-- Up Migration
-- Runs that wait for an operator (clarification answers, approval to publish), runs an operator
-- rejected, and what the run found of the repository's constitution (filled, template, missing).
ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check CHECK (status IN (
  'queued', 'in_progress', 'awaiting_clarification', 'awaiting_approval',
  'succeeded', 'no_changes', 'rejected', 'failed', 'cancelled'));
ALTER TABLE runs ADD COLUMN constitution text CHECK (constitution IN ('filled', 'template', 'missing'));

-- Down Migration
ALTER TABLE runs DROP COLUMN constitution;
UPDATE runs SET status = 'in_progress' WHERE status IN ('awaiting_clarification', 'awaiting_approval');
UPDATE runs SET status = 'failed' WHERE status = 'rejected';
ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check CHECK (status IN (
  'queued', 'in_progress', 'succeeded', 'no_changes', 'failed', 'cancelled'));
