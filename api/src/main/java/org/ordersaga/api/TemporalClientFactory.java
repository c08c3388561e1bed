package org.ordersaga.api;

import com.uber.m3.tally.RootScopeBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.ordersaga.temporal.TemporalConnection;
import org.ordersaga.temporal.TemporalProperties;

@Factory
class TemporalClientFactory {

    /**
     * Lazy, so the API starts while Temporal is unreachable; calls give up after 10 s of retrying so that a client
     * gets its 503 in bounded time. The SDK's client metrics go to Micrometer, hence to {@code /prometheus}.
     */
    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkflowServiceStubs workflowServiceStubs(TemporalProperties temporal, MeterRegistry meters) {
        return WorkflowServiceStubs.newServiceStubs(TemporalConnection.options(temporal)
                .setRpcTimeout(Duration.ofSeconds(5))
                .setRpcRetryOptions(RpcRetryOptions.newBuilder()
                        .setExpiration(Duration.ofSeconds(10))
                        .build())
                .setMetricsScope(new RootScopeBuilder()
                        .reporter(new MicrometerClientStatsReporter(meters))
                        .reportEvery(com.uber.m3.util.Duration.ofSeconds(10)))
                .build());
    }

    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalProperties temporal) {
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(temporal.namespace())
                        .build());
    }
}
