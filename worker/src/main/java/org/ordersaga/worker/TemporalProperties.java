package org.ordersaga.worker;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import org.ordersaga.temporal.TemporalEndpoint;
import org.ordersaga.temporal.WorkerTuning;

/**
 * The Temporal connection and worker tuning ({@code saga.temporal.*}, {@code SAGA_TEMPORAL_*}).
 *
 * @param target host:port of the frontend ({@code SAGA_TEMPORAL_TARGET})
 * @param tls connect with TLS (Temporal Cloud); implied by any of the files below
 * @param clientCert PEM client certificate for mTLS
 * @param clientKey PEM (PKCS#8) client key for mTLS
 * @param serverCa PEM CA to trust instead of the JVM's defaults
 * @param workflowCacheSize workflow executions kept in memory, so that their next task needs no replay
 */
@ConfigurationProperties("saga.temporal")
record TemporalProperties(
        @Bindable(defaultValue = "127.0.0.1:7233") String target,
        @Bindable(defaultValue = "default") String namespace,
        @Bindable(defaultValue = "false") boolean tls,
        @Nullable String clientCert,
        @Nullable String clientKey,
        @Nullable String serverCa,
        @Bindable(defaultValue = "2") int workflowPollers,
        @Bindable(defaultValue = "2") int activityPollers,
        @Bindable(defaultValue = "200") int maxConcurrentWorkflowTasks,
        @Bindable(defaultValue = "200") int maxConcurrentActivities,
        @Bindable(defaultValue = "600") int workflowCacheSize) implements TemporalEndpoint {

    WorkerTuning tuning() {
        return new WorkerTuning(workflowPollers, activityPollers, maxConcurrentWorkflowTasks, maxConcurrentActivities,
                workflowCacheSize);
    }
}
