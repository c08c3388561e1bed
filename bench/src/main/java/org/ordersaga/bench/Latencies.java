package org.ordersaga.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Latency samples, and their percentiles in milliseconds. */
final class Latencies {

    private final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();

    void add(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    int count() {
        return nanos.size();
    }

    Summary summary() {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return new Summary(
                sorted.size(),
                percentile(sorted, 50),
                percentile(sorted, 95),
                percentile(sorted, 99),
                percentile(sorted, 100));
    }

    /** Nearest-rank percentiles, in milliseconds; all zero without samples. */
    record Summary(int count, double p50, double p95, double p99, double max) {}

    private static double percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return Math.round(sorted.get(Math.max(rank, 1) - 1) / 1e4) / 100.0;
    }
}
