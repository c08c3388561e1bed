package org.ordersaga.temporal;

import io.micronaut.tracing.opentelemetry.OpenTelemetryBuilderCustomizer;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Spans go out over OTLP once an OTLP endpoint is set ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}), configured by the standard {@code OTEL_*} variables; without one,
 * nothing is exported. Micronaut's OpenTelemetry exports nothing unless {@code OTEL_TRACES_EXPORTER} names an
 * exporter, which still decides when it is set.
 */
@Singleton
final class TraceExport implements OpenTelemetryBuilderCustomizer {

    private static final String EXPORTER = "otel.traces.exporter";

    @Override
    public void configure(AutoConfiguredOpenTelemetrySdkBuilder builder) {
        builder.addPropertiesCustomizer(config -> {
            boolean endpoint = config.getString("otel.exporter.otlp.endpoint") != null
                    || config.getString("otel.exporter.otlp.traces.endpoint") != null;
            boolean named = System.getenv("OTEL_TRACES_EXPORTER") != null || System.getProperty(EXPORTER) != null;
            return endpoint && !named ? Map.of(EXPORTER, "otlp") : Map.of();
        });
    }
}
