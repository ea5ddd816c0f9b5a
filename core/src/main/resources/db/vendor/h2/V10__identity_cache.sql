-- H2 writes an identity column's sequence to disk, as a commit of its own, each time the values it took ahead (32
-- by default) are used up: a 10 000-item fan-out's task_instances and task_attempts rows cost some 600 such commits,
-- more than the engine's own transactions. Taking 10 000 ahead makes that a handful; a crash only leaves a gap in the
-- ids. PostgreSQL's sequences need no such setting.
ALTER TABLE task_instances ALTER COLUMN id SET CACHE 10000;
ALTER TABLE task_attempts ALTER COLUMN id SET CACHE 10000;
