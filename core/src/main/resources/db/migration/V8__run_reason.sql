-- why a run ended as it did when no task says so: a workflow timeout, a schedule firing skipped by overlap: skip
ALTER TABLE runs ADD COLUMN reason VARCHAR(1000);
-- max_active_runs counts a workflow's active runs as each firing creates its run
CREATE INDEX runs_by_workflow_state ON runs (workflow_id, state);
