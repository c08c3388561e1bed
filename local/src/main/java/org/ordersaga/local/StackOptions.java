package org.ordersaga.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The local stack's command line: {@code --name=value} options and the {@code --demo} flag. */
record StackOptions(
        boolean demo,
        boolean tracing,
        Optional<TemporalKind> temporal,
        int apiPort,
        int temporalPort,
        int temporalUiPort,
        int kafkaPort,
        int postgresPort,
        int zipkinPort,
        Path directory,
        Path workerJar,
        Path apiJar,
        Path zipkinJar) {

    /** Which Temporal {@code --temporal} asks for. */
    enum TemporalKind {
        /** The temporal CLI's dev server. */
        DEV,
        /** The production server on PostgreSQL, with its UI server. */
        SERVER,
        /** The SDK's in-memory test server: no Web UI, no visibility queries. */
        MEMORY
    }

    static final String USAGE = """
            usage: ./run-local.sh [--demo] [--tracing] [--temporal=dev|server|memory] [--api-port=8080]
                                  [--temporal-port=7233] [--temporal-ui-port=8233] [--kafka-port=9092]
                                  [--postgres-port=5433] [--zipkin-port=9411] [--dir=.local-stack]
              --demo      also place one order of each outcome and print their final states
              --tracing   also run Zipkin, a trace viewer, and have every process send it its spans (with --demo,
                          each demo order's trace is printed)
              --temporal  dev: the temporal CLI's dev server and its Web UI (the default, when there is a CLI);
                          server: the production Temporal server on PostgreSQL and its Web UI server, as
                          docker/compose.yaml runs them; memory: the in-memory test server, without a Web UI (the
                          default when there is no CLI)
              --dir       where the logs, the stack's data and its tokens (tokens/*.jwt) go (wiped at start: every
                          run starts empty)
            ./run-local.sh finds or builds the temporal CLI (scripts/temporal-cli.sh) and, for --temporal=server, the
            server (scripts/temporal-server.sh); run directly, this program takes them from TEMPORAL_CLI and
            TEMPORAL_SERVER_HOME.""";

    private static final List<String> VALUED = List.of(
            "temporal",
            "api-port",
            "temporal-port",
            "temporal-ui-port",
            "kafka-port",
            "postgres-port",
            "zipkin-port",
            "dir",
            "worker-jar",
            "api-jar",
            "zipkin-jar");

    static StackOptions parse(String... arguments) {
        boolean demo = false;
        boolean tracing = false;
        Map<String, String> values = new HashMap<>();
        for (String argument : arguments) {
            if (argument.equals("--demo") || argument.equals("--tracing")) {
                demo |= argument.equals("--demo");
                tracing |= argument.equals("--tracing");
                continue;
            }
            int equals = argument.indexOf('=');
            String name = argument.startsWith("--") && equals > 2 ? argument.substring(2, equals) : "";
            if (!VALUED.contains(name)) {
                throw new IllegalArgumentException("unknown option " + argument);
            }
            values.put(name, argument.substring(equals + 1));
        }
        return new StackOptions(
                demo,
                tracing,
                Optional.ofNullable(values.get("temporal")).map(StackOptions::temporalKind),
                port(values, "api-port", 8080),
                port(values, "temporal-port", 7233),
                port(values, "temporal-ui-port", 8233),
                port(values, "kafka-port", 9092),
                port(values, "postgres-port", 5433),
                port(values, "zipkin-port", 9411),
                Path.of(values.getOrDefault("dir", ".local-stack")).toAbsolutePath(),
                Path.of(values.getOrDefault("worker-jar", "worker/target/worker.jar"))
                        .toAbsolutePath(),
                Path.of(values.getOrDefault("api-jar", "api/target/api.jar")).toAbsolutePath(),
                Path.of(values.getOrDefault("zipkin-jar", "local/target/zipkin/zipkin-server.jar"))
                        .toAbsolutePath());
    }

    private static TemporalKind temporalKind(String value) {
        return switch (value) {
            case "dev" -> TemporalKind.DEV;
            case "server" -> TemporalKind.SERVER;
            case "memory" -> TemporalKind.MEMORY;
            default ->
                throw new IllegalArgumentException("--temporal must be dev, server or memory, not '" + value + "'");
        };
    }

    private static int port(Map<String, String> values, String name, int defaultPort) {
        String value = values.get(name);
        if (value == null) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, like an out-of-range number
        }
        throw new IllegalArgumentException("--" + name + " must be a port number (1-65535), not '" + value + "'");
    }
}
