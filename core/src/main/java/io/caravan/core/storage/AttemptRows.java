package io.caravan.core.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The task_instances and task_attempts rows that claims and attempts' ends write, as plain JDBC: a fan-out's
 * thousands of state changes are the engine's hottest writes, and as entities each was a load, a dirty check and an
 * update of every column, and each attempt's row an insert of its own (an identity key defeats Hibernate's
 * batching). Here a batch of claims is one locking query and one JDBC batch, a batch of ends one locking query and
 * two batches. Every update bumps {@code version}, so the entity writes elsewhere still see these as changes.
 */
final class AttemptRows {
    private AttemptRows() {}

    /** What an attempt's end needs of its locked row. */
    /**
     * Rows one claim takes at most, whatever the task's max_active: the lock query binds each id, and H2 takes no
     * more than 100 000 parameters; the driver claims the rest at its next turn.
     */
    static final int MAX_CLAIM = 10_000;

    record Locked(long id, String leaseToken, int attempt, Instant startedAt, String runId, String leaseOwner) {}

    /**
     * Selects, locks and leases up to {@code limit} claimable rows, in the order they are to run.
     *
     * @param sortBeforeLocking pick the rows first, then lock them: H2 locks every row its scan meets before it sorts
     *     and cuts to the limit, so a claim locked, and its commit wrote, all of a fan-out's READY rows, and the other
     *     claims' SKIP LOCKED skipped them all. Locking re-checks the conditions on the row as it is now (both
     *     databases do), so a row claimed meanwhile is left out. PostgreSQL locks only the rows it returns: one query.
     */
    static List<Claim> claim(
            Connection c,
            String runId,
            String taskId,
            int limit,
            Collection<String> hosts,
            String placeOn,
            String owner,
            Instant expires,
            Instant now,
            boolean sortBeforeLocking)
            throws SQLException {
        String select = "SELECT id, item_index, item_json, attempt, max_attempts, host FROM task_instances"
                + " WHERE run_id = ? AND task_id = ? AND state = 'READY' AND next_attempt_at <= ?"
                + (hosts == null ? "" : " AND (host IS NULL OR host IN (" + marks(hosts.size()) + "))");
        // adopted rows (a host kept) first, grouped by host, then by item: spelt as task_instances_by_group's
        // columns, so that the index gives the rows in this order and the scan stops at the limit (as an
        // expression, every READY row was sorted)
        String order = " ORDER BY run_id, task_id, state, host DESC NULLS LAST, item_index FETCH FIRST "
                + Math.min(limit, MAX_CLAIM) + " ROWS ONLY";
        // one token for the batch: it is taken for these rows by this claim only, which is all a completion must show
        String token = UUID.randomUUID().toString();
        List<Claim> claims;
        if (sortBeforeLocking) {
            List<Claim> picked = claimable(c, select + order, runId, taskId, hosts, now, List.of(), placeOn, token);
            Map<Long, Claim> locked = new HashMap<>();
            if (!picked.isEmpty()) {
                List<Long> ids = picked.stream().map(Claim::instanceId).toList();
                String lock = select + " AND id IN (" + marks(ids.size()) + ") FOR UPDATE SKIP LOCKED";
                claimable(c, lock, runId, taskId, hosts, now, ids, placeOn, token)
                        .forEach(claim -> locked.put(claim.instanceId(), claim));
            }
            claims = picked.stream()
                    .map(claim -> locked.get(claim.instanceId()))
                    .filter(claim -> claim != null)
                    .toList();
        } else {
            claims = claimable(
                    c,
                    select + order + " FOR UPDATE SKIP LOCKED",
                    runId,
                    taskId,
                    hosts,
                    now,
                    List.of(),
                    placeOn,
                    token);
        }
        if (claims.isEmpty()) {
            return claims;
        }
        for (int k = 0; k < claims.size(); k += CHUNK) {
            List<Claim> chunk = claims.subList(k, Math.min(claims.size(), k + CHUNK));
            try (PreparedStatement lease = c.prepareStatement("UPDATE task_instances SET state = 'RUNNING',"
                    + " lease_owner = ?, lease_token = ?, lease_expires_at = ?, started_at = ?"
                    + (placeOn == null ? "" : ", host = ?")
                    + ", version = version + 1 WHERE id IN (" + marks(chunk.size()) + ")")) {
                lease.setString(1, owner);
                lease.setString(2, token);
                time(lease, 3, expires);
                time(lease, 4, now);
                int p = 5;
                if (placeOn != null) {
                    lease.setString(p++, placeOn);
                }
                for (Claim claim : chunk) {
                    lease.setLong(p++, claim.instanceId());
                }
                lease.executeUpdate();
            }
        }
        return claims;
    }

    /** The claimable rows {@code sql} returns, as the claims they become. */
    private static List<Claim> claimable(
            Connection c,
            String sql,
            String runId,
            String taskId,
            Collection<String> hosts,
            Instant now,
            List<Long> ids,
            String placeOn,
            String token)
            throws SQLException {
        List<Claim> claims = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, runId);
            select.setString(2, taskId);
            time(select, 3, now);
            int p = 4;
            for (String host : hosts == null ? List.<String>of() : hosts) {
                select.setString(p++, host);
            }
            for (long id : ids) {
                select.setLong(p++, id);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String host = placeOn != null ? placeOn : rs.getString(6);
                    claims.add(new Claim(
                            rs.getLong(1),
                            runId,
                            taskId,
                            rs.getInt(2),
                            rs.getString(3),
                            rs.getInt(4),
                            rs.getInt(5),
                            token,
                            host));
                }
            }
        }
        return claims;
    }

    /** Locks the rows of these instances, in id order (engines locking overlapping batches never deadlock), by id. */
    static Map<Long, Locked> lock(Connection c, List<Long> ids) throws SQLException {
        List<Long> sorted = new ArrayList<>(ids);
        Collections.sort(sorted);
        Map<Long, Locked> locked = new HashMap<>();
        for (int k = 0; k < sorted.size(); k += CHUNK) {
            List<Long> chunk = sorted.subList(k, Math.min(sorted.size(), k + CHUNK));
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id, lease_token, attempt, started_at, run_id, lease_owner FROM task_instances"
                            + " WHERE id IN (" + marks(chunk.size()) + ") ORDER BY id FOR UPDATE")) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        OffsetDateTime started = rs.getObject(4, OffsetDateTime.class);
                        Locked row = new Locked(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getInt(3),
                                started == null ? null : started.toInstant(),
                                rs.getString(5),
                                rs.getString(6));
                        locked.put(row.id(), row);
                    }
                }
            }
        }
        return locked;
    }

    /** Writes the ends of attempts whose rows {@link #lock} took (and whose leases they still hold). */
    static void end(Connection c, List<Map.Entry<Locked, AttemptEnd>> ends, Instant now) throws SQLException {
        List<Map.Entry<Locked, AttemptEnd>> finished = new ArrayList<>();
        try (PreparedStatement attempt = c.prepareStatement("INSERT INTO task_attempts"
                        + " (instance_id, attempt, state, started_at, ended_at, error) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement retry = c.prepareStatement("UPDATE task_instances SET state = 'READY',"
                        + " attempt = attempt + 1, host = NULL, gpu_indices = NULL, cpus_reserved = NULL,"
                        + " mem_reserved = NULL, interruptions = 0, next_attempt_at = ?, error = ?,"
                        + " log_path = COALESCE(?, log_path)," + CLEAR_LEASE + " WHERE id = ?")) {
            boolean retried = false;
            for (Map.Entry<Locked, AttemptEnd> entry : ends) {
                Locked row = entry.getKey();
                AttemptEnd e = entry.getValue();
                attempt.setLong(1, row.id());
                attempt.setInt(2, row.attempt());
                attempt.setString(3, e.state().name());
                time(attempt, 4, row.startedAt());
                time(attempt, 5, now);
                attempt.setString(6, e.error());
                attempt.addBatch();
                if (e.retryAt() != null) {
                    time(retry, 1, e.retryAt());
                    retry.setString(2, e.error());
                    retry.setString(3, e.logPath());
                    retry.setLong(4, row.id());
                    retry.addBatch();
                    retried = true;
                } else {
                    finished.add(entry);
                }
            }
            attempt.executeBatch();
            if (retried) {
                retry.executeBatch();
            }
        }
        for (int k = 0; k < finished.size(); k += CHUNK) {
            finish(c, finished.subList(k, Math.min(finished.size(), k + CHUNK)), now);
        }
    }

    /**
     * Ends instances in one statement rather than one per row: a value that differs between the rows is picked by
     * id ({@code CASE id WHEN ...}).
     */
    private static void finish(Connection c, List<Map.Entry<Locked, AttemptEnd>> ends, Instant now)
            throws SQLException {
        List<Long> ids = ends.stream().map(e -> e.getKey().id()).toList();
        List<AttemptEnd> by = ends.stream().map(Map.Entry::getValue).toList();
        PerRowValues values = new PerRowValues(ids);
        String sql = "UPDATE task_instances SET state = "
                + values.of(by.stream().map(e -> e.state().name()).toList(), Types.VARCHAR)
                + ", output_json = "
                + values.of(by.stream().map(AttemptEnd::outputJson).toList(), Types.VARCHAR)
                + ", error = " + values.of(by.stream().map(AttemptEnd::error).toList(), Types.VARCHAR)
                + ", left_on_host = "
                + values.of(by.stream().map(AttemptEnd::leftOnHost).toList(), Types.BOOLEAN)
                + ", log_path = COALESCE("
                + values.of(by.stream().map(AttemptEnd::logPath).toList(), Types.VARCHAR)
                + ", log_path), ended_at = ?," + CLEAR_LEASE + " WHERE id IN (" + marks(ids.size()) + ")";
        try (PreparedStatement update = c.prepareStatement(sql)) {
            int p = values.bind(update);
            time(update, p++, now);
            for (long id : ids) {
                update.setLong(p++, id);
            }
            update.executeUpdate();
        }
    }

    private static final int CHUNK = 500;

    private static final String CLEAR_LEASE =
            " lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, version = version + 1";

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static void time(PreparedStatement statement, int index, Instant at) throws SQLException {
        if (at == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, at.atOffset(ZoneOffset.UTC));
        }
    }
}
