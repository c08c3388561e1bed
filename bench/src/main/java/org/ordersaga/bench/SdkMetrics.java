package org.ordersaga.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Temporal SDK's own metrics of one process over a window: its Prometheus text before and after, subtracted.
 * Latencies are percentiles of the histogram buckets the SDK's Micrometer reporter publishes, summed over every
 * task queue and type; counts are counters' increases.
 */
final class SdkMetrics {

    /** Timers, without the {@code _seconds} suffix Prometheus adds. */
    private static final List<String> LATENCIES = List.of(
            "temporal_workflow_task_schedule_to_start_latency",
            "temporal_workflow_task_execution_latency",
            "temporal_workflow_task_replay_latency",
            "temporal_activity_schedule_to_start_latency",
            "temporal_activity_execution_latency",
            "temporal_request_latency",
            "temporal_long_request_latency");

    /** Counters, without the {@code _total} suffix Prometheus adds. */
    private static final List<String> COUNTS = List.of(
            "temporal_workflow_task_queue_poll_succeed",
            "temporal_workflow_task_queue_poll_empty",
            "temporal_activity_poll_no_task",
            "temporal_sticky_cache_hit",
            "temporal_sticky_cache_miss",
            "temporal_sticky_cache_total_forced_eviction",
            "temporal_request",
            "temporal_long_request");

    record Latency(long count, double p50Ms, double p99Ms) {}

    /** What the SDK did in one process over the window; absent metrics are left out. */
    record Window(Map<String, Latency> latencies, Map<String, Double> counts) {}

    private SdkMetrics() {}

    /** What happened between two scrapes of a process's Prometheus text. */
    static Window between(String beforeText, String afterText) {
        Map<String, Double> before = parse(beforeText);
        Map<String, Double> after = parse(afterText);
        Map<String, Latency> latencies = new LinkedHashMap<>();
        for (String timer : LATENCIES) {
            TreeMap<Double, Double> buckets = new TreeMap<>();
            after.forEach((series, value) -> {
                if (series.startsWith(timer + "_seconds_bucket{")) {
                    buckets.merge(upperBound(series), value - before.getOrDefault(series, 0.0), Double::sum);
                }
            });
            double count = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
            if (count > 0) {
                latencies.put(timer, new Latency(Math.round(count), quantile(buckets, 0.5), quantile(buckets, 0.99)));
            }
        }
        Map<String, Double> counts = new LinkedHashMap<>();
        for (String counter : COUNTS) {
            after.forEach((series, value) -> {
                if (series.startsWith(counter + "_total{") || series.equals(counter + "_total")) {
                    counts.merge(counter, value - before.getOrDefault(series, 0.0), Double::sum);
                }
            });
        }
        return new Window(latencies, counts);
    }

    /** Series (name and labels as printed) to value; comments and blank lines skipped. */
    private static Map<String, Double> parse(String prometheusText) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : prometheusText.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                series.put(line.substring(0, space), Double.valueOf(line.substring(space + 1)));
            } catch (NumberFormatException | StringIndexOutOfBoundsException notASample) {
                // a line of another shape is not a sample we read
            }
        }
        return series;
    }

    private static double upperBound(String bucketSeries) {
        int start = bucketSeries.indexOf("le=\"") + 4;
        String le = bucketSeries.substring(start, bucketSeries.indexOf('"', start));
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }

    /**
     * The q-quantile in ms, interpolated linearly inside the bucket that holds it (what Prometheus's
     * {@code histogram_quantile} does); the highest finite bound when it falls in the last, unbounded bucket.
     */
    private static double quantile(TreeMap<Double, Double> cumulative, double q) {
        double total = cumulative.lastEntry().getValue();
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound * 1000;
                }
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket == 0 ? 1 : (rank - lowerCount) / inBucket;
                return Math.round((lowerBound + (bucket.getKey() - lowerBound) * fraction) * 1000 * 10) / 10.0;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound * 1000;
    }
}
