package io.caravan.app.bench.scale;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.function.Function;

/**
 * The JVM's heap from its memory-pool MXBeans. The peak is the sum of the heap pools' own peak usage (eden,
 * survivor, old): the pools peak at different moments, so the sum bounds the true peak from above. The live
 * heap is the sum of the pools' usage after their last collection: what the engine really holds.
 */
final class HeapPeak {
    private HeapPeak() {}

    static long peakBytes() {
        return sum(MemoryPoolMXBean::getPeakUsage);
    }

    static long usedBytes() {
        return sum(MemoryPoolMXBean::getUsage);
    }

    static long liveBytes() {
        return sum(MemoryPoolMXBean::getCollectionUsage);
    }

    static long maxBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    private static long sum(Function<MemoryPoolMXBean, MemoryUsage> usage) {
        long n = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getType() == MemoryType.HEAP && pool.isValid() ? usage.apply(pool) : null;
            n += u == null ? 0 : u.getUsed();
        }
        return n;
    }
}
