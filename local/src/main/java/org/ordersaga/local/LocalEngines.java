package org.ordersaga.local;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the product runs on, started on 127.0.0.1 in a fresh directory: an identity provider, embedded PostgreSQL
 * with one database, Kafka (one broker, or a replicated {@link KafkaCluster}), and Temporal (the {@link LocalTemporal.Choice chosen} one). The
 * one way the local stack, the benchmark and the tests start them. {@link #close()} stops what has started, last
 * first, even while {@link #start} is still under way (Ctrl-C at startup).
 */
public final class LocalEngines implements AutoCloseable {

    /** Where each engine listens; 0 takes a free port. */
    public record EnginePorts(int postgres, int kafka, int temporal, int temporalUi) {
        public static final EnginePorts ANY = new EnginePorts(0, 0, 0, 0);
    }

    /** The identity provider's directory: its signing key, for scripts/token.sh. */
    static final String IDENTITY = "identity";

    private final Path directory;
    private final Path logs;
    private final String database;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private boolean closed;
    private LocalIdentityProvider identity;
    private LocalPostgres postgres;
    private int kafkaBrokers = 1;
    private KafkaCluster kafka;
    private LocalTemporal temporal;
    private String webUiApiUrl;

    /** Empties {@code directory}; the engines keep their data and logs ({@code logs/}) there. */
    public LocalEngines(Path directory, String database) {
        this.directory = LocalStack.freshDirectory(directory.toAbsolutePath());
        this.logs = LocalStack.freshDirectory(this.directory.resolve("logs"));
        this.database = database;
    }

    /** Kafka as a cluster of {@code brokers} (one by default), replicated three ways from three on. */
    public LocalEngines kafkaBrokers(int brokers) {
        this.kafkaBrokers = brokers;
        return this;
    }

    /**
     * The Web UI shows payloads decrypted by the codec server of the API at {@code apiUrl}, as the local operator:
     * through a {@link LocalCodecProxy}, which stands in for the UI's login.
     */
    public LocalEngines webUiDecodesWith(String apiUrl) {
        this.webUiApiUrl = apiUrl;
        return this;
    }

    public LocalEngines start(EnginePorts ports, LocalTemporal.Choice temporalChoice, Consumer<String> progress) {
        identity = started(LocalIdentityProvider.start(directory.resolve(IDENTITY)));
        Optional<String> codecEndpoint = Optional.ofNullable(webUiApiUrl)
                .map(apiUrl -> started(LocalCodecProxy.start(
                                apiUrl + "/codec",
                                identity.issuer().token(DemoTokens.OPERATOR, true, DemoTokens.VALIDITY)))
                        .url());
        progress.accept("starting PostgreSQL ...");
        postgres = started(LocalPostgres.start(ports.postgres(), directory.resolve("postgres")));
        postgres.createDatabase(database);
        progress.accept("starting Kafka ...");
        kafka = KafkaCluster.format(directory.resolve("kafka"), kafkaBrokers, ports.kafka());
        started((AutoCloseable) kafka::stop);
        kafka.start();
        progress.accept("starting Temporal ...");
        temporal = started(temporalChoice.start(
                orFree(ports.temporal()),
                new LocalTemporal.WebUi(orFree(ports.temporalUi()), codecEndpoint),
                postgres,
                directory.resolve("temporal"),
                logs));
        return this;
    }

    /** The product's processes, from their jars, against these engines. */
    public SagaProcesses processes(Path workerJar, Path apiJar) {
        return new SagaProcesses(
                        workerJar,
                        apiJar,
                        postgres,
                        database,
                        temporal.target(),
                        kafka.bootstrapServers(),
                        identity,
                        logs)
                .webUi(temporal.uiUrl());
    }

    public LocalIdentityProvider identity() {
        return identity;
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl(database);
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    public LocalTemporal temporal() {
        return temporal;
    }

    public Path logs() {
        return logs;
    }

    @Override
    public synchronized void close() {
        closed = true;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
    }

    private synchronized <T extends AutoCloseable> T started(T engine) {
        started.push(engine);
        if (closed) {
            close();
            throw new IllegalStateException("stopped while starting");
        }
        return engine;
    }

    private static int orFree(int port) {
        return port == 0 ? Ports.free() : port;
    }
}
