package org.ordersaga.temporal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.opentracingshim.OpenTracingShim;
import io.temporal.opentracing.OpenTracingOptions;

/**
 * Temporal's tracing, as its SDK documents it: the OpenTracing interceptors of {@code temporal-opentracing}, here
 * over OpenTelemetry through its OpenTracing shim. The client's starts a workflow in the caller's span; the worker's
 * runs each workflow task and activity in a span of that trace, carried in Temporal's headers. An activity's span is
 * OpenTelemetry's current span while it runs, so the events its transaction writes keep it ({@code OutboxWriter}).
 */
public final class TemporalTracing {

    private TemporalTracing() {}

    public static OpenTracingOptions options(OpenTelemetry openTelemetry) {
        return OpenTracingOptions.newBuilder()
                .setTracer(OpenTracingShim.createTracerShim(openTelemetry))
                .build();
    }
}
