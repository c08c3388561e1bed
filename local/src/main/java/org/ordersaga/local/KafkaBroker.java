package org.ordersaga.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker: KRaft (broker and controller in one), a child process started from this JVM's classpath,
 * listening on 127.0.0.1, alone or as a node of a {@link KafkaCluster}. It keeps its data directory across
 * {@link #stop()} and {@link #start()}, like a restarted broker, and is stopped by its process handle, never by name.
 */
public final class KafkaBroker {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);

    private final Path directory;
    private final int port;
    private Process process;

    /**
     * One node of a cluster: {@code nodeId} among the controller {@code voters} ({@code id@host:port,...}), sharing
     * {@code clusterId}; every topic's partitions on {@code replicas} nodes, {@code minInSync} of which take a write.
     */
    KafkaBroker(
            Path directory,
            int port,
            int nodeId,
            int controllerPort,
            String voters,
            String clusterId,
            int replicas,
            int minInSync)
            throws IOException {
        this.directory = Files.createDirectories(directory).toAbsolutePath();
        this.port = port;
        Files.writeString(
                this.directory.resolve("server.properties"),
                serverProperties(nodeId, controllerPort, voters, replicas, minInSync));
        run(
                List.of(
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        clusterId,
                        "-c",
                        this.directory.resolve("server.properties").toString()),
                this.directory.resolve("format.log"));
    }

    /** Formats a new broker in {@code directory} (created if missing), to listen on {@code port}; not started. */
    public static KafkaBroker format(Path directory, int port) {
        return KafkaCluster.format(directory, 1, port).brokers().get(0);
    }

    static String newClusterId() {
        return Uuid.randomUuid().toString();
    }

    /** The broker's own log. */
    public Path log() {
        return directory.resolve("broker.log");
    }

    /** The process id while running. */
    public long pid() {
        return process.pid();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker, if it is not running, and waits until it serves. */
    public synchronized void start() {
        launch();
        awaitReady();
    }

    /** Starts the process without waiting: a cluster's first node serves only once a quorum of them runs. */
    synchronized void launch() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = java(List.of(
                            "kafka.Kafka",
                            directory.resolve("server.properties").toString()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker", e);
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 30 s) and waits until its process has exited. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Processes.stop(process, Duration.ofSeconds(30));
        process = null;
    }

    /** SIGKILL: the broker dies at once, without closing its logs or handing over its partitions. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        Processes.awaitExit(process, Duration.ofSeconds(10));
        process = null;
    }

    synchronized void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the Kafka broker exited with " + process.exitValue() + "; see " + log());
            }
            if (Ports.accepts(port)) {
                try (Admin admin = Admin.create(config)) {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    // the listener is up before the broker has registered with its controller
                }
            }
            LocalStack.pause(Duration.ofMillis(200));
        }
        stop();
        throw new IllegalStateException("the Kafka broker was not ready within " + STARTUP_LIMIT + "; see " + log());
    }

    private String serverProperties(int nodeId, int controllerPort, String voters, int replicas, int minInSync) {
        return String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + directory.resolve("data"),
                "num.partitions=4",
                "default.replication.factor=" + replicas,
                "min.insync.replicas=" + minInSync,
                "offsets.topic.replication.factor=" + replicas,
                "transaction.state.log.replication.factor=" + replicas,
                "transaction.state.log.min.isr=" + minInSync,
                "share.coordinator.state.topic.replication.factor=" + replicas,
                "share.coordinator.state.topic.min.isr=" + minInSync,
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "");
    }

    private ProcessBuilder java(List<String> mainAndArguments) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command =
                new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArguments);
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private void run(List<String> mainAndArguments, Path log) throws IOException {
        Process tool = java(mainAndArguments).redirectOutput(log.toFile()).start();
        try {
            if (!tool.waitFor(60, TimeUnit.SECONDS)) {
                tool.destroyForcibly();
                throw new IllegalStateException("Kafka storage format timed out; see " + log);
            }
            if (tool.exitValue() != 0) {
                throw new IllegalStateException("Kafka storage format failed; see " + log);
            }
        } catch (InterruptedException e) {
            tool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
