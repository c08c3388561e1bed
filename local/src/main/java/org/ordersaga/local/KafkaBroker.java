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
 * listening on 127.0.0.1. It keeps its data directory across {@link #stop()} and {@link #start()}, like a restarted
 * broker, and is stopped by its process handle, never by name.
 */
public final class KafkaBroker {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBroker(Path directory, int port) throws IOException {
        this.directory = directory;
        this.port = port;
        this.controllerPort = Ports.free();
        Files.writeString(directory.resolve("server.properties"), serverProperties());
        run(
                List.of(
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        directory.resolve("server.properties").toString()),
                directory.resolve("format.log"));
    }

    /** Formats a new broker in {@code directory} (created if missing), to listen on {@code port}; not started. */
    public static KafkaBroker format(Path directory, int port) {
        try {
            return new KafkaBroker(Files.createDirectories(directory).toAbsolutePath(), port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka broker in " + directory, e);
        }
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

    public synchronized void start() {
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
        awaitReady();
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 30 s) and waits until its process has exited. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Processes.stop(process, Duration.ofSeconds(30));
        process = null;
    }

    private void awaitReady() {
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

    private String serverProperties() {
        return String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + directory.resolve("data"),
                "num.partitions=4",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
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
