-- Up Migration
-- Why a run that did not fail published nothing (no_changes); `error` stays for failures.
ALTER TABLE runs ADD COLUMN reason text;

-- Down Migration
ALTER TABLE runs DROP COLUMN reason;
