-- A job directory whose outcome is recorded but whose removal is not yet confirmed is written here in the
-- same transaction as the outcome, held by the engine removing it. Confirmed removal deletes the row; if
-- the engine dies first, the row is released (or its grace runs out) and it is retried like any debt.
ALTER TABLE cleanup_debts ADD COLUMN run_id VARCHAR(200);
ALTER TABLE cleanup_debts ADD COLUMN holder VARCHAR(200);
CREATE INDEX cleanup_debts_holder ON cleanup_debts (holder);
CREATE INDEX cleanup_debts_run ON cleanup_debts (run_id);
