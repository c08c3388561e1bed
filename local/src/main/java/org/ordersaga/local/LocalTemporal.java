package org.ordersaga.local;

import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.ordersaga.saga.OrderWorkflows;

/**
 * Temporal for the local stack and the tests, with the saga's search attributes registered on namespace
 * {@code default}: the production server on the local PostgreSQL with its Web UI server, the real dev server of the
 * {@code temporal} CLI (with its Web UI), or the SDK's in-memory test server, which has neither visibility queries
 * nor a Web UI.
 */
public final class LocalTemporal implements AutoCloseable {

    /**
     * Where the Web UI listens on 127.0.0.1, and the codec server it decodes payloads with, if any.
     *
     * @param codecEndpoint Temporal's remote codec endpoint, as the browser reaches it
     */
    public record WebUi(int port, Optional<String> codecEndpoint) {}

    /** Which Temporal runs. */
    public sealed interface Choice {

        /** Starts it on 127.0.0.1:{@code port}, its Web UI as {@code ui} says (if it has one). */
        LocalTemporal start(int port, WebUi ui, LocalPostgres postgres, Path directory, Path logs);

        /** The production server ({@code scripts/temporal-server.sh} builds its {@code home}) and the CLI. */
        record ProductionServer(Path home, Path cli) implements Choice {
            @Override
            public LocalTemporal start(int port, WebUi ui, LocalPostgres postgres, Path directory, Path logs) {
                return productionServer(this, port, ui, postgres, directory, logs.resolve("temporal.log"));
            }
        }

        /** {@code temporal server start-dev}. */
        record DevServer(Path cli) implements Choice {
            @Override
            public LocalTemporal start(int port, WebUi ui, LocalPostgres postgres, Path directory, Path logs) {
                return devServer(cli, port, ui, logs.resolve("temporal.log"));
            }
        }

        /** The SDK's test server, in this JVM. */
        record InMemory() implements Choice {
            @Override
            public LocalTemporal start(int port, WebUi ui, LocalPostgres postgres, Path directory, Path logs) {
                return testServer(port);
            }
        }

        /** The dev server when there is a CLI, else the in-memory server. */
        static Choice devServerIfAny() {
            return findCli().<Choice>map(DevServer::new).orElseGet(InMemory::new);
        }
    }

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);

    private final int port;
    private final Process devServer;
    private final TemporalServer productionServer;
    private final TestServer.PortBoundTestServer testServer;
    private final Integer uiPort;

    private LocalTemporal(
            int port,
            Process devServer,
            TemporalServer productionServer,
            TestServer.PortBoundTestServer testServer,
            Integer uiPort) {
        this.port = port;
        this.devServer = devServer;
        this.productionServer = productionServer;
        this.testServer = testServer;
        this.uiPort = uiPort;
    }

    /** The in-memory test server on 127.0.0.1:{@code port}, in this JVM, in real time. */
    public static LocalTemporal testServer(int port) {
        LocalTemporal temporal =
                new LocalTemporal(port, null, null, TestServer.createPortBoundServer(port, true), null);
        temporal.registerSearchAttributes();
        return temporal;
    }

    private static LocalTemporal productionServer(
            Choice.ProductionServer choice, int port, WebUi ui, LocalPostgres postgres, Path directory, Path log) {
        TemporalServer server = TemporalServer.start(choice.home(), choice.cli(), postgres, port, ui, directory, log);
        LocalTemporal temporal = new LocalTemporal(port, null, server, null, ui.port());
        temporal.awaitUi(log);
        return temporal;
    }

    /** {@code temporal server start-dev} on loopback, in memory, its output in {@code log}; ready when it returns. */
    static LocalTemporal devServer(Path cli, int port, WebUi ui, Path log) {
        List<String> command = new ArrayList<>(List.of(
                cli.toString(),
                "server",
                "start-dev",
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(ui.port()),
                "--namespace",
                "default",
                "--log-level",
                "warn"));
        OrderWorkflows.SEARCH_ATTRIBUTES.forEach(
                key -> command.addAll(List.of("--search-attribute", key.getName() + "=Keyword")));
        ui.codecEndpoint().ifPresent(endpoint -> command.addAll(List.of("--ui-codec-endpoint", endpoint)));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            LocalTemporal temporal = new LocalTemporal(port, process, null, null, ui.port());
            temporal.awaitDevServer(log);
            return temporal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cli, e);
        }
    }

    /** The production server's folder, as {@code scripts/temporal-server.sh} prints it: {@code TEMPORAL_SERVER_HOME}. */
    public static Optional<Path> findServerHome() {
        return Optional.ofNullable(System.getenv("TEMPORAL_SERVER_HOME"))
                .filter(home -> !home.isBlank())
                .map(Path::of);
    }

    /** The CLI binary to use: {@code TEMPORAL_CLI}, else {@code temporal} on the PATH, else none. */
    public static Optional<Path> findCli() {
        String configured = System.getenv("TEMPORAL_CLI");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "temporal");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public String target() {
        return "127.0.0.1:" + port;
    }

    /** The Web UI, which the in-memory server lacks. */
    public Optional<String> uiUrl() {
        return Optional.ofNullable(uiPort).map(ui -> "http://127.0.0.1:" + ui);
    }

    /** What runs, for people: which server, and its pids. */
    public String description() {
        if (productionServer != null) {
            return "Temporal server on PostgreSQL, pid=" + productionServer.pid() + "; its UI server pid="
                    + productionServer.uiPid();
        }
        if (devServer != null) {
            return "temporal CLI dev server, pid=" + devServer.pid();
        }
        return "in-memory test server in this process";
    }

    /** The server's process id; empty for the in-memory server, which lives in this JVM. */
    public Optional<Long> pid() {
        if (productionServer != null) {
            return Optional.of(productionServer.pid());
        }
        return Optional.ofNullable(devServer).map(Process::pid);
    }

    /** The production server, which a test may kill and restart. */
    public Optional<TemporalServer> productionServer() {
        return Optional.ofNullable(productionServer);
    }

    private void registerSearchAttributes() {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
                OperatorServiceStubsOptions.newBuilder().setTarget(target()).validateAndBuildWithDefaults());
        try {
            AddSearchAttributesRequest.Builder request =
                    AddSearchAttributesRequest.newBuilder().setNamespace("default");
            OrderWorkflows.SEARCH_ATTRIBUTES.forEach(
                    key -> request.putSearchAttributes(key.getName(), key.getValueType()));
            operator.blockingStub().addSearchAttributes(request.build());
        } finally {
            operator.shutdown();
        }
    }

    private void awaitDevServer(Path log) {
        try {
            await("the Temporal dev server", devServer::isAlive, () -> answers(port), log);
        } catch (IllegalStateException e) {
            close();
            throw e;
        }
    }

    private void awaitUi(Path log) {
        try {
            await("the Temporal UI server", productionServer::isUiAlive, () -> Ports.accepts(uiPort), log);
        } catch (IllegalStateException e) {
            close();
            throw e;
        }
    }

    /** Waits up to a minute for {@code ready}; fails as soon as the process is not {@code alive}. */
    static void await(String what, BooleanSupplier alive, BooleanSupplier ready, Path log) {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException(what + " exited; see " + log);
            }
            if (ready.getAsBoolean()) {
                return;
            }
            LocalStack.pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException(what + " was not ready within " + STARTUP_LIMIT + "; see " + log);
    }

    /** True when a Temporal frontend answers on 127.0.0.1:{@code port}. */
    static boolean answers(int port) {
        if (!Ports.accepts(port)) {
            return false;
        }
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + port)
                .setRpcTimeout(Duration.ofSeconds(2))
                .validateAndBuildWithDefaults());
        try {
            stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            return true;
        } catch (RuntimeException notYet) {
            return false;
        } finally {
            stubs.shutdownNow();
        }
    }

    /** Stops what runs: a server's processes by pid (SIGTERM, SIGKILL after 20 s), the test server in place. */
    @Override
    public void close() {
        if (testServer != null) {
            testServer.close();
        } else if (productionServer != null) {
            productionServer.close();
        } else {
            Processes.stop(devServer, Duration.ofSeconds(20));
        }
    }
}
