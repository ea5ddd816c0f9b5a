-- An attempt whose job was left on a host that was given up on: `run --resume` takes it up again, same attempt,
-- and adopts the job (it may have run on or finished meanwhile) instead of starting it a second time.
ALTER TABLE task_instances ADD COLUMN left_on_host BOOLEAN DEFAULT FALSE NOT NULL;
-- Recording a batch of outcomes looks up, by job id, the debts of directories whose jobs were adopted.
CREATE INDEX cleanup_debts_job_id ON cleanup_debts (job_id);
