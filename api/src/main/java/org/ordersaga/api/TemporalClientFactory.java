package org.ordersaga.api;

import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.opentelemetry.api.OpenTelemetry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.opentracing.OpenTracingClientInterceptor;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.ordersaga.temporal.PayloadEncryption;
import org.ordersaga.temporal.PayloadEncryptionProperties;
import org.ordersaga.temporal.TemporalConnection;
import org.ordersaga.temporal.TemporalProperties;
import org.ordersaga.temporal.TemporalTracing;

@Factory
class TemporalClientFactory {

    /** The SDK's client metrics, handed to Micrometer, hence to {@code /prometheus}. */
    @Singleton
    @Bean(preDestroy = "close")
    Scope temporalMetrics(MeterRegistry meters) {
        return TemporalConnection.metrics(meters);
    }

    /**
     * Lazy, so the API starts while Temporal is unreachable; calls give up after 10 s of retrying so that a client
     * gets its 503 in bounded time.
     */
    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkflowServiceStubs workflowServiceStubs(TemporalProperties temporal, Scope metrics) {
        return WorkflowServiceStubs.newServiceStubs(TemporalConnection.options(temporal)
                .setRpcTimeout(Duration.ofSeconds(5))
                .setRpcRetryOptions(RpcRetryOptions.newBuilder()
                        .setExpiration(Duration.ofSeconds(10))
                        .build())
                .setMetricsScope(metrics)
                .build());
    }

    /** The client's codec, which the codec server ({@link CodecController}) serves to the Web UI too. */
    @Singleton
    PayloadEncryption payloadEncryption(PayloadEncryptionProperties properties) {
        return PayloadEncryption.of(properties);
    }

    /** Starting a saga continues the request's trace, which the workers' spans continue in turn. */
    @Singleton
    WorkflowClient workflowClient(
            WorkflowServiceStubs stubs,
            TemporalProperties temporal,
            PayloadEncryption encryption,
            OpenTelemetry openTelemetry) {
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(temporal.namespace())
                        .setDataConverter(TemporalConnection.dataConverter(encryption))
                        .setInterceptors(new OpenTracingClientInterceptor(TemporalTracing.options(openTelemetry)))
                        .build());
    }
}
