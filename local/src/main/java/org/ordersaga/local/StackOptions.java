package org.ordersaga.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The local stack's command line: {@code --name=value} options and the {@code --demo} flag. */
record StackOptions(
        boolean demo,
        Optional<TemporalKind> temporal,
        int apiPort,
        int temporalPort,
        int temporalUiPort,
        int kafkaPort,
        int postgresPort,
        Path directory,
        Path workerJar,
        Path apiJar) {

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
            usage: ./run-local.sh [--demo] [--temporal=dev|server|memory] [--api-port=8080] [--temporal-port=7233]
                                  [--temporal-ui-port=8233] [--kafka-port=9092] [--postgres-port=5433]
                                  [--dir=.local-stack]
              --demo      also place one order of each outcome and print their final states
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
            "dir",
            "worker-jar",
            "api-jar");

    static StackOptions parse(String... arguments) {
        boolean demo = false;
        Map<String, String> values = new HashMap<>();
        for (String argument : arguments) {
            if (argument.equals("--demo")) {
                demo = true;
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
                Optional.ofNullable(values.get("temporal")).map(StackOptions::temporalKind),
                port(values, "api-port", 8080),
                port(values, "temporal-port", 7233),
                port(values, "temporal-ui-port", 8233),
                port(values, "kafka-port", 9092),
                port(values, "postgres-port", 5433),
                Path.of(values.getOrDefault("dir", ".local-stack")).toAbsolutePath(),
                Path.of(values.getOrDefault("worker-jar", "worker/target/worker.jar"))
                        .toAbsolutePath(),
                Path.of(values.getOrDefault("api-jar", "api/target/api.jar")).toAbsolutePath());
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
