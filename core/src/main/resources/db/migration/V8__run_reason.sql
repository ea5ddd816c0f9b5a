-- why a run ended as it did when no task says so: a workflow timeout, a schedule firing skipped by overlap: skip
ALTER TABLE runs ADD COLUMN reason VARCHAR(1000);
-- max_active_runs counts a workflow's active runs as each firing creates its run
CREATE INDEX runs_by_workflow_state ON runs (workflow_id, state);
-- one row, locked while a schedule firing counts its workflow's active runs and creates its run: firings are
-- serialised across the cluster, so max_active_runs holds whichever nodes fire at once
CREATE TABLE firing_lock (
    id  INTEGER PRIMARY KEY
);
INSERT INTO firing_lock (id) VALUES (1);
