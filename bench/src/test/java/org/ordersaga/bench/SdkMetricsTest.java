package org.ordersaga.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SdkMetricsTest {

    private static final String BEFORE = """
            # HELP temporal_request_total
            # TYPE temporal_request_total counter
            temporal_request_total{operation="PollActivityTaskQueue",task_queue="payment"} 10.0
            temporal_activity_execution_latency_seconds_bucket{activity_type="Charge",le="0.01"} 5
            temporal_activity_execution_latency_seconds_bucket{activity_type="Charge",le="0.1"} 5
            temporal_activity_execution_latency_seconds_bucket{activity_type="Charge",le="+Inf"} 5
            """;

    /** Between the scrapes: 100 activities, 50 under 10 ms, 40 more under 100 ms, 10 slower; 30 requests. */
    private static final String AFTER = """
            temporal_request_total{operation="PollActivityTaskQueue",task_queue="payment"} 30.0
            temporal_request_total{operation="RespondActivityTaskCompleted",task_queue="payment"} 10.0
            temporal_activity_execution_latency_seconds_bucket{activity_type="Charge",le="0.01"} 45
            temporal_activity_execution_latency_seconds_bucket{activity_type="Charge",le="0.1"} 75
            temporal_activity_execution_latency_seconds_bucket{activity_type="Charge",le="+Inf"} 85
            temporal_activity_execution_latency_seconds_bucket{activity_type="Refund",le="0.01"} 10
            temporal_activity_execution_latency_seconds_bucket{activity_type="Refund",le="0.1"} 20
            temporal_activity_execution_latency_seconds_bucket{activity_type="Refund",le="+Inf"} 20
            """;

    @Test
    void countersAreTheirIncreaseSummedOverSeries() {
        assertEquals(
                Map.of("temporal_request", 30.0),
                SdkMetrics.between(BEFORE, AFTER).counts());
    }

    @Test
    void latenciesAreInterpolatedInsideTheirBucketsLikeHistogramQuantile() {
        SdkMetrics.Latency activities =
                SdkMetrics.between(BEFORE, AFTER).latencies().get("temporal_activity_execution_latency");

        assertEquals(100, activities.count());
        // the 50th of 100 is the last of the 50 below 10 ms
        assertEquals(10.0, activities.p50Ms());
        // the 99th falls in the unbounded bucket: the highest finite bound is all that can be said
        assertEquals(100.0, activities.p99Ms());
    }

    @Test
    void anAbsentMetricIsLeftOut() {
        assertEquals(Map.of(), SdkMetrics.between("", "").latencies());
        assertEquals(Map.of(), SdkMetrics.between("", "").counts());
    }
}
