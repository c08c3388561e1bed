package org.ordersaga.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The local stack's command line: {@code --name=value} options and the {@code --demo} flag. */
record StackOptions(
        boolean demo,
        int apiPort,
        int temporalPort,
        int temporalUiPort,
        int kafkaPort,
        int postgresPort,
        Path directory,
        Path workerJar,
        Path apiJar) {

    static final String USAGE = """
            usage: ./run-local.sh [--demo] [--api-port=8080] [--temporal-port=7233] [--temporal-ui-port=8233]
                                  [--kafka-port=9092] [--postgres-port=5433] [--dir=.local-stack]
              --demo   also place one order of each outcome and print their final states
              --dir    where the logs, the stack's data and its tokens (tokens/*.jwt) go (wiped at start: every
                       run starts empty)
            The temporal CLI (TEMPORAL_CLI or on the PATH) gives a real dev server and its Web UI;
            without it the in-memory Temporal test server runs, which has no Web UI.""";

    private static final List<String> VALUED = List.of(
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
