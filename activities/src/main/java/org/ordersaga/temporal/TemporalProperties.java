package org.ordersaga.temporal;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The Temporal connection, the same for the API and the workers, and the workers' tuning ({@code saga.temporal.*},
 * {@code SAGA_TEMPORAL_*}). The three files are PEM; any of them implies TLS.
 *
 * @param target host:port of the frontend ({@code SAGA_TEMPORAL_TARGET})
 * @param tls connect with TLS even without any of the files (Temporal Cloud with an API key, a public CA)
 * @param clientCert PEM client certificate for mTLS
 * @param clientKey PEM (PKCS#8) client key for mTLS
 * @param serverCa PEM CA to trust instead of the JVM's defaults
 * @param workflowPollers the pollers, concurrency limits and cache size below tune a worker process; the API uses none
 * @param workflowCacheSize workflow executions kept in memory, so that their next task needs no replay
 * @param startupWait how long a starting worker waits for Temporal to answer, as while its server restarts, before it
 *     gives up and exits
 */
@ConfigurationProperties("saga.temporal")
public record TemporalProperties(
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
        @Bindable(defaultValue = "600") int workflowCacheSize,
        @Bindable(defaultValue = "60s") Duration startupWait) {

    public boolean usesTls() {
        return tls || clientCert != null || serverCa != null;
    }

    public WorkerTuning tuning() {
        return new WorkerTuning(
                workflowPollers,
                activityPollers,
                maxConcurrentWorkflowTasks,
                maxConcurrentActivities,
                workflowCacheSize);
    }
}
