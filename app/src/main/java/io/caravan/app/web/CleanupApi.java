package io.caravan.app.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.caravan.core.cleanup.CleanupDebts;
import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.storage.CleanupDebt;
import io.caravan.spi.JobDirectory;

/** Cleanup debts: listed, and retried one at a time. Keys are never shown, not even their paths. */
final class CleanupApi {
    private final CleanupDebts debts;

    CleanupApi(CleanupDebts debts) {
        this.debts = debts;
    }

    Object list(ApiRequest r) {
        return Map.of("debts", debts.all().stream().map(CleanupApi::view).toList());
    }

    Object retry(ApiRequest r) {
        long id = r.number("id");
        List<CleanupDebt> debt = debts.all().stream().filter(d -> d.id() == id).toList();
        if (debt.isEmpty()) {
            throw ApiError.notFound("no cleanup debt " + id);
        }
        CleanupDebts.Settlement s = debts.retry(debt);
        return Map.of("removed", s.removed(), "still_owed", s.stillOwed());
    }

    private static Map<String, Object> view(CleanupDebt d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("host", d.user() + "@" + HostAndPort.format(d.host(), d.port()));
        v.put("job_dir", JobDirectory.path(d.baseDir(), d.jobId()));
        v.put("attempts", d.attempts());
        v.put("next_attempt_at", Views.time(d.nextAttemptAt()));
        v.put("created_at", Views.time(d.createdAt()));
        v.put("reason", d.reason());
        return v;
    }
}
