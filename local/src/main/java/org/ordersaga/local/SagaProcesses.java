package org.ordersaga.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the product's own processes, each worker and the API, from their jars against running PostgreSQL, Kafka
 * and Temporal, configured by environment variables the way a deployment configures them. One database, a schema
 * per service; the demo catalog and customers seeded. The API trusts the tokens of the identity provider given.
 * Every process encrypts Temporal's payloads with one key made for them.
 */
public final class SagaProcesses {

    /** A worker gets this long to finish its activities in flight (its own grace is 30 s) before it is killed. */
    public static final Duration WORKER_GRACE = Duration.ofSeconds(35);

    /**
     * The JVM options of every product process, set as the images set them ({@code docker/Dockerfile}): C1 only.
     * C2 keeps compiling a lightly loaded service's framework code (gRPC, protobuf, Jackson, JDBC) for most of an
     * hour after each start, on cores the work needs, and does not win it back: without it the workers and the API
     * spent 40% less CPU per saga in the benchmark (README, "Performance").
     */
    public static final String JVM_OPTIONS = "-XX:TieredStopAtLevel=1";

    private static final Duration API_GRACE = Duration.ofSeconds(15);
    private static final Duration API_STARTUP_LIMIT = Duration.ofMinutes(3);

    private final Path workerJar;
    private final Path apiJar;
    private final LocalPostgres postgres;
    private final String database;
    private final Map<String, String> common = new HashMap<>();
    private final Map<String, String> apiSecurity;
    private final Map<String, Integer> workerPorts = new HashMap<>();
    private final Path logs;
    private final PayloadKey payloadKey = PayloadKey.generate();
    private Optional<String> webUi = Optional.empty();

    public SagaProcesses(
            Path workerJar,
            Path apiJar,
            LocalPostgres postgres,
            String database,
            String temporalTarget,
            String kafkaBootstrapServers,
            LocalIdentityProvider identity,
            Path logs) {
        this.workerJar = workerJar;
        this.apiJar = apiJar;
        this.postgres = postgres;
        this.database = database;
        this.logs = logs;
        this.apiSecurity = identity.apiEnvironment();
        common.put("SAGA_TEMPORAL_TARGET", temporalTarget);
        common.put("SAGA_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
        common.put("JAVA_TOOL_OPTIONS", JVM_OPTIONS);
        common.putAll(payloadKey.environment());
    }

    /** The key every process encrypts Temporal's payloads with, made for these processes. */
    public PayloadKey payloadKey() {
        return payloadKey;
    }

    /** The Temporal Web UI at {@code url}, if any, may call the API's codec server from its origin. */
    public SagaProcesses webUi(Optional<String> url) {
        this.webUi = url;
        return this;
    }

    /**
     * Adds settings, as environment variables, to every process started from now on (worker tuning, say; other JVM
     * options as {@code JAVA_TOOL_OPTIONS}).
     */
    public SagaProcesses withSettings(Map<String, String> settings) {
        common.putAll(settings);
        return this;
    }

    /**
     * A worker process running one service ({@code orders}, {@code inventory}, {@code payment} or
     * {@code shipping}) on its own datasource and schema, both named after it; {@code instance} names the process
     * and its log, so that replicas can run side by side.
     */
    public ChildProcess worker(String service, String instance) {
        Map<String, String> environment = new HashMap<>(common);
        int port = Ports.free();
        workerPorts.put(instance, port);
        environment.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        environment.put("SAGA_DEMO_DATA", "true");
        environment.putAll(
                DataSourceSettings.asEnvironment(DataSourceSettings.service(service, postgres.jdbcUrl(database))));
        return ChildProcess.java(
                "worker-" + instance,
                workerJar,
                "256m",
                List.of("--services=" + service),
                environment,
                logs.resolve("worker-" + instance + ".log"),
                WORKER_GRACE);
    }

    /** Where the worker {@code instance} serves {@code /prometheus} and {@code /health}. */
    public String workerUrl(String instance) {
        return "http://127.0.0.1:" + workerPorts.get(instance);
    }

    /** The API on 127.0.0.1:{@code port}, with its order-view projection, trusting the identity provider's tokens. */
    public ChildProcess api(int port) {
        Map<String, String> environment = new HashMap<>(common);
        environment.putAll(apiSecurity);
        webUi.ifPresent(
                origin -> environment.put("MICRONAUT_SERVER_CORS_CONFIGURATIONS_WEBUI_ALLOWED_ORIGINS", origin));
        environment.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        environment.putAll(DataSourceSettings.asEnvironment(DataSourceSettings.api(postgres.jdbcUrl(database))));
        return ChildProcess.java("api", apiJar, "256m", List.of(), environment, logs.resolve("api.log"), API_GRACE);
    }

    /** Waits until the API at {@code apiUrl} reports itself healthy (Temporal, Kafka and its databases up). */
    public static void awaitHealthy(ChildProcess api, String apiUrl) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + API_STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!api.isAlive()) {
                throw new IllegalStateException("the API exited during startup; see " + api.log());
            }
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create(apiUrl + "/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the API", e);
            }
            LocalStack.pause(Duration.ofMillis(500));
        }
        throw new IllegalStateException("the API was not healthy within " + API_STARTUP_LIMIT + "; see " + api.log());
    }
}
