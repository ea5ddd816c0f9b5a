package io.caravan.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What every backend needs: job id validation, and splitting large batches into bounded commands. */
public abstract class AbstractJobBackend implements JobBackend {

    /** Ids become directory names and shell words: {@link JobDirectory#checkId}, kept here for backends built against 1.2. */
    protected static String checkId(String id) {
        return JobDirectory.checkId(id);
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
