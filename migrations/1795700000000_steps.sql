-- Up Migration
-- One word per concept: a run has steps (clone, init, each Spec Kit phase, commit, push,
-- pull-request); "phase" names only Spec Kit's own (specify, plan, ...).
ALTER TABLE phase_states RENAME TO step_states;
ALTER TABLE step_states RENAME COLUMN phase TO step;
ALTER TABLE artifacts RENAME COLUMN phase TO step;

-- Down Migration
ALTER TABLE artifacts RENAME COLUMN step TO phase;
ALTER TABLE step_states RENAME COLUMN step TO phase;
ALTER TABLE step_states RENAME TO phase_states;
