-- Engine processes sharing this database: each `caravan server` beats here while it lives.
CREATE TABLE nodes (
    id            VARCHAR(200)  PRIMARY KEY,
    machine       VARCHAR(255)  NOT NULL,
    pid           BIGINT        NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    stopped_at    TIMESTAMP WITH TIME ZONE
);

-- One owner per SSH host (host:port) at a time: only the owner connects to it and starts jobs on it.
CREATE TABLE host_leases (
    host         VARCHAR(300)  PRIMARY KEY,
    node_id      VARCHAR(200)  NOT NULL,
    acquired_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- one row, locked while a node takes a host: takings are serialised, so the balance check sees every
-- other taking and no two nodes insert the same host's first lease at once
CREATE TABLE host_lease_lock (
    id  INTEGER PRIMARY KEY
);
INSERT INTO host_lease_lock (id) VALUES (1);

-- the cron slot a scheduled run was fired for: one run per workflow and slot, whichever node fires it
ALTER TABLE runs ADD COLUMN scheduled_for TIMESTAMP WITH TIME ZONE;
CREATE UNIQUE INDEX runs_one_per_slot ON runs (workflow_id, scheduled_for);

-- how often an attempt's engine died or stalled under it (its lease lapsed) rather than the task failing:
-- it keeps its attempt number, and so its job, up to a limit
ALTER TABLE task_instances ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0;
