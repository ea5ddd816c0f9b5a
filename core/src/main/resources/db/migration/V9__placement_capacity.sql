-- What a pool host offers its jobs (caravan pool add-ssh --gpus/--gpu-type/--cpus/--mem); 0 and null: not declared
ALTER TABLE pool_hosts ADD COLUMN gpus INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE pool_hosts ADD COLUMN gpus_auto BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE pool_hosts ADD COLUMN gpu_type VARCHAR(200);
ALTER TABLE pool_hosts ADD COLUMN cpus INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE pool_hosts ADD COLUMN mem_bytes BIGINT;
-- What an attempt's job holds on its pool host, stored with its placement: a resumed run or a failed-over node
-- adopts the job with the same GPU indices and hands them to no other job until it ends. All null: it asked for none.
ALTER TABLE task_instances ADD COLUMN gpu_indices VARCHAR(400);
ALTER TABLE task_instances ADD COLUMN cpus_reserved INTEGER;
ALTER TABLE task_instances ADD COLUMN mem_reserved BIGINT;
-- the placements held on a host, read by an engine before it reserves anything there
CREATE INDEX task_instances_by_host ON task_instances (host, state);
