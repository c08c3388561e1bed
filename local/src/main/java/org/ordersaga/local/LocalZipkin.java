package org.ordersaga.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Zipkin, the trace viewer of {@code --tracing}: its server from Maven Central ({@code io.zipkin:zipkin-server},
 * which the build copies to {@code local/target/zipkin/}) as a process on 127.0.0.1, keeping spans in memory, its UI
 * at {@code /zipkin/}. Zipkin takes no OTLP, so the processes export with OpenTelemetry's Zipkin exporter.
 */
public final class LocalZipkin implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);

    private final ChildProcess process;
    private final int port;

    private LocalZipkin(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Zipkin on 127.0.0.1:{@code port}; {@link #awaitServing()} waits until it serves. */
    public static LocalZipkin launch(Path jar, int port, Path log) {
        ChildProcess process = ChildProcess.java(
                "zipkin",
                jar,
                "256m",
                // Armeria's own settings: Spring's server.address would leave it listening on every interface
                List.of(
                        "--armeria.ports[0].ip=127.0.0.1",
                        "--armeria.ports[0].port=" + port,
                        "--armeria.ports[0].protocols=http"),
                Map.of(),
                log,
                Duration.ofSeconds(10));
        return new LocalZipkin(process, port);
    }

    /** Settings for the API and the workers: their spans to this Zipkin, each batch within half a second. */
    public Map<String, String> exportSettings() {
        return Map.of(
                "OTEL_TRACES_EXPORTER", "zipkin",
                "OTEL_EXPORTER_ZIPKIN_ENDPOINT", url() + "/api/v2/spans",
                "OTEL_BSP_SCHEDULE_DELAY", "500");
    }

    public String uiUrl() {
        return url() + "/zipkin/";
    }

    /** The page of one trace in the UI. */
    public String traceUrl(String traceId) {
        return uiUrl() + "traces/" + traceId;
    }

    /** One trace as Zipkin's API gives it: a JSON array of spans, each with its {@code localEndpoint.serviceName}. */
    public String traceJsonUrl(String traceId) {
        return url() + "/api/v2/trace/" + traceId;
    }

    public ChildProcess process() {
        return process;
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until Zipkin serves; stops it and throws if it does not within the startup limit. */
    public LocalZipkin awaitServing() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/health"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Zipkin exited at startup; see " + process.log());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            LocalStack.pause(Duration.ofMillis(500));
        }
        close();
        throw new IllegalStateException("Zipkin did not serve within " + STARTUP_LIMIT + "; see " + process.log());
    }

    @Override
    public void close() {
        process.terminate();
        process.awaitExit();
    }
}
