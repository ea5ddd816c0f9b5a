package io.caravan.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/** What every backend needs: job id validation, and splitting large batches into bounded commands. */
public abstract class AbstractJobBackend implements JobBackend {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /** Ids become directory names and shell words: only safe characters, and never "." or "..". */
    protected static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("invalid job id '" + id + "': use 1-200 of [A-Za-z0-9._-]");
        }
        return id;
    }

    /** Runs {@code perBatch} over slices of at most {@code size} items and joins the results. */
    protected static <T, R> List<R> inBatches(List<T> items, int size, Function<List<T>, List<R>> perBatch) {
        List<R> results = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            results.addAll(perBatch.apply(items.subList(i, Math.min(items.size(), i + size))));
        }
        return results;
    }
}
