package org.ordersaga.worker;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import org.ordersaga.temporal.TemporalEndpoint;

/**
 * The Temporal connection and worker tuning ({@code saga.temporal.*}, {@code SAGA_TEMPORAL_*}).
 *
 * @param target host:port of the frontend ({@code SAGA_TEMPORAL_TARGET})
 * @param tls connect with TLS (Temporal Cloud); implied by any of the files below
 * @param clientCert PEM client certificate for mTLS
 * @param clientKey PEM (PKCS#8) client key for mTLS
 * @param serverCa PEM CA to trust instead of the JVM's defaults
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
        @Bindable(defaultValue = "200") int maxConcurrentActivities) implements TemporalEndpoint {}
