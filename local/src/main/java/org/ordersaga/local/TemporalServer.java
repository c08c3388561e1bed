package org.ordersaga.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ordersaga.saga.OrderWorkflows;

/**
 * The production Temporal server on the local PostgreSQL, as {@code docker/compose.yaml} runs it: its databases
 * {@code temporal} and {@code temporal_visibility} set up by {@code docker/temporal/setup-database.sh}, namespace
 * {@code default} and the saga's search attributes by {@code setup-namespace.sh} (the scripts themselves), and the
 * Web UI server beside it. Everything binds to 127.0.0.1; every process is stopped by its pid. The programs come from
 * {@code scripts/temporal-server.sh} ({@code home}); {@code setup-namespace.sh} needs the {@code temporal} CLI.
 */
public final class TemporalServer implements AutoCloseable {

    private static final String LOGIN = "temporal";
    private static final String PASSWORD = "temporal";
    private static final Duration SETUP_LIMIT = Duration.ofMinutes(3);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** Temporal keeps membership ports in a {@code smallint} column; the OS hands out free ports above it. */
    private static final int HIGHEST_MEMBERSHIP_PORT = Short.MAX_VALUE;

    private final Path home;
    private final Path directory;
    private final Path log;
    private final int port;
    private final LocalTemporal.WebUi webUi;
    private Process server;
    private Process ui;

    private TemporalServer(Path home, Path directory, Path log, int port, LocalTemporal.WebUi webUi) {
        this.home = home;
        this.directory = directory;
        this.log = log;
        this.port = port;
        this.webUi = webUi;
    }

    /**
     * Sets up its databases in {@code postgres}, starts the server on {@code port} and the UI server as
     * {@code webUi} says, and creates the namespace; its files go to {@code directory}, the output of everything to
     * {@code log}. Returns once the server answers; the UI server may still be starting.
     */
    static TemporalServer start(
            Path home,
            Path cli,
            LocalPostgres postgres,
            int port,
            LocalTemporal.WebUi webUi,
            Path directory,
            Path log) {
        TemporalServer temporal = new TemporalServer(home, directory, log, port, webUi);
        try {
            createLogin(postgres);
            temporal.linkPrograms(cli);
            temporal.runScript(
                    "setup-database.sh",
                    Map.of(
                            "TEMPORAL_DB_HOST",
                            "127.0.0.1",
                            "TEMPORAL_DB_PORT",
                            Integer.toString(postgres.port()),
                            "TEMPORAL_DB_USER",
                            LOGIN,
                            "SQL_PASSWORD",
                            PASSWORD,
                            "TEMPORAL_SCHEMA_DIR",
                            home.resolve("schema").toString()));
            temporal.writeServerConfig(postgres.port());
            temporal.startServer();
            temporal.awaitServing();
            temporal.runScript(
                    "setup-namespace.sh",
                    Map.of(
                            "TEMPORAL_ADDRESS",
                            "127.0.0.1:" + port,
                            "NAMESPACE",
                            "default",
                            "SEARCH_ATTRIBUTES",
                            OrderWorkflows.SEARCH_ATTRIBUTES.stream()
                                    .map(key -> key.getName())
                                    .collect(Collectors.joining(" "))));
            temporal.startUi();
            return temporal;
        } catch (RuntimeException e) {
            temporal.close();
            throw e;
        }
    }

    public long pid() {
        return server.pid();
    }

    long uiPid() {
        return ui.pid();
    }

    boolean isUiAlive() {
        return ui.isAlive();
    }

    /** SIGKILL, as a crash would; its state is in PostgreSQL, and {@link #restart()} carries on from it. */
    public void kill() {
        server.destroyForcibly();
        try {
            server.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server again, on the same ports and databases; returns once it answers. */
    public void restart() {
        startServer();
        awaitServing();
    }

    private void awaitServing() {
        LocalTemporal.await("the Temporal server", server::isAlive, () -> LocalTemporal.answers(port), log);
    }

    @Override
    public void close() {
        if (ui != null) {
            Processes.stop(ui, STOP_GRACE);
        }
        if (server != null) {
            Processes.stop(server, STOP_GRACE);
        }
    }

    /** As {@code docker/postgres/logins.sql} creates it: Temporal's login creates its own databases. */
    private static void createLogin(LocalPostgres postgres) {
        postgres.execute("CREATE ROLE " + LOGIN + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
    }

    /** The scripts call the programs by the names the images give them, from {@code bin/} first on the PATH. */
    private void linkPrograms(Path cli) {
        Path bin = directory.resolve("bin");
        try {
            Files.createDirectories(bin);
            Files.createSymbolicLink(bin.resolve("temporal"), cli.toAbsolutePath());
            Files.createSymbolicLink(
                    bin.resolve("temporal-sql-tool"),
                    home.resolve("bin/temporal-sql-tool").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + bin, e);
        }
    }

    /** {@code docker/temporal/}, from the working directory or a parent of it (the tests run in a module's). */
    private static Path scriptsFolder() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            Path scripts = folder.resolve("docker/temporal");
            if (Files.isRegularFile(scripts.resolve("setup-database.sh"))) {
                return scripts;
            }
        }
        throw new IllegalStateException("docker/temporal/setup-database.sh is not in the working directory or above it;"
                + " run from the repository");
    }

    /** Runs {@code docker/temporal/<script>} with {@code environment} added, and the programs of {@code bin/}. */
    private void runScript(String script, Map<String, String> environment) {
        Path file = scriptsFolder().resolve(script);
        ProcessBuilder builder = new ProcessBuilder("sh", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("PATH", directory.resolve("bin") + ":" + System.getenv("PATH"));
        try {
            Process process = builder.start();
            if (!process.waitFor(SETUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                Processes.stop(process, Duration.ofSeconds(5));
                throw new IllegalStateException(file + " did not finish within " + SETUP_LIMIT + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(file + " failed with " + process.exitValue() + "; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + file, e);
        }
    }

    /**
     * The server's configuration, as the image renders it from its template, but every address on loopback and
     * every port free: a second stack, or a test's, runs beside this one.
     */
    private void writeServerConfig(int postgresPort) {
        Path config = directory.resolve("config");
        String datastore = """
                      sql:
                        pluginName: postgres12
                        databaseName: %s
                        connectAddr: "127.0.0.1:%d"
                        connectProtocol: tcp
                        user: %s
                        password: %s
                        maxConns: %d
                        maxIdleConns: %d
                        maxConnLifetime: 1h
                """;
        String service = """
                  %s:
                    rpc:
                      grpcPort: %d
                      membershipPort: %d
                      bindOnIP: 127.0.0.1
                """;
        String yaml = """
                log:
                  stdout: true
                  level: warn
                persistence:
                  defaultStore: default
                  visibilityStore: visibility
                  numHistoryShards: 4
                  datastores:
                    default:
                %s    visibility:
                %sglobal:
                  membership:
                    maxJoinDuration: 30s
                    broadcastAddress: 127.0.0.1
                  metrics:
                    prometheus:
                      framework: tally
                      timerType: histogram
                      listenAddress: "127.0.0.1:%d"
                services:
                  frontend:
                    rpc:
                      grpcPort: %d
                      membershipPort: %d
                      httpPort: %d
                      bindOnIP: 127.0.0.1
                %s%s%sclusterMetadata:
                  enableGlobalNamespace: false
                  failoverVersionIncrement: 10
                  masterClusterName: active
                  currentClusterName: active
                  clusterInformation:
                    active:
                      enabled: true
                      initialFailoverVersion: 1
                      rpcName: frontend
                      rpcAddress: "127.0.0.1:%d"
                dcRedirectionPolicy:
                  policy: noop
                dynamicConfigClient:
                  filepath: %s
                  pollInterval: 10s
                """.formatted(
                        datastore.formatted("temporal", postgresPort, LOGIN, PASSWORD, 20, 20),
                        datastore.formatted("temporal_visibility", postgresPort, LOGIN, PASSWORD, 10, 10),
                        Ports.free(),
                        port,
                        membershipPort(),
                        Ports.free(),
                        service.formatted("history", Ports.free(), membershipPort()),
                        service.formatted("matching", Ports.free(), membershipPort()),
                        service.formatted("worker", Ports.free(), membershipPort()),
                        port,
                        config.resolve("dynamicconfig.yaml"));
        try {
            Files.createDirectories(config);
            Files.writeString(config.resolve("dynamicconfig.yaml"), "{}\n");
            Files.writeString(config.resolve("local.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Temporal server's configuration", e);
        }
    }

    private static int membershipPort() {
        return Ports.freeBetween(10_000, HIGHEST_MEMBERSHIP_PORT);
    }

    private void startServer() {
        server = launch(List.of(
                home.resolve("bin/temporal-server").toString(),
                "--root",
                directory.toString(),
                "--config",
                "config",
                "--env",
                "local",
                "--allow-no-auth",
                "start"));
    }

    /** The Web UI server, on loopback, without its check for newer versions (it has no internet to ask). */
    private void startUi() {
        Path config = directory.resolve("ui/config");
        String yaml = """
                temporalGrpcAddress: "127.0.0.1:%d"
                host: 127.0.0.1
                port: %d
                enableUi: true
                defaultNamespace: default
                notifyOnNewVersion: false
                cors:
                  cookieInsecure: true
                  allowOrigins:
                    - "http://127.0.0.1:%d"
                """.formatted(port, webUi.port(), webUi.port())
                + webUi.codecEndpoint()
                        .map(endpoint -> "codec:\n  endpoint: \"" + endpoint + "\"\n")
                        .orElse("");
        try {
            Files.createDirectories(config);
            Files.writeString(config.resolve("local.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Temporal UI server's configuration", e);
        }
        ui = launch(List.of(
                home.resolve("bin/temporal-ui-server").toString(),
                "--root",
                directory.resolve("ui").toString(),
                "--config",
                "config",
                "--env",
                "local",
                "start"));
    }

    private Process launch(List<String> command) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        }
    }
}
