-- A claim takes a task's READY rows in the order they are to run: those with a host kept (adopted after a restart or
-- a failover) first, grouped by host, then by item. With that order in the index, both databases read the first rows of the index and
-- stop at the claim's limit; with (run_id, task_id, state) alone each claim sorted every READY row of the fan-out
-- (H2: 19 ms a claim over 30 000 rows, against 0.8 ms with this index).
DROP INDEX task_instances_by_group;
CREATE INDEX task_instances_by_group ON task_instances (run_id, task_id, state, host DESC NULLS LAST, item_index);
