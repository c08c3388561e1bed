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
import org.ordersaga.saga.OrderWorkflows;

/**
 * Temporal for the local stack and the tests, with the saga's search attributes registered on namespace
 * {@code default}: the real dev server of the {@code temporal} CLI (with its Web UI) when a binary is given,
 * otherwise the SDK's in-memory test server, which has neither visibility queries nor a Web UI.
 */
public final class LocalTemporal implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);

    private final int port;
    private final Process devServer;
    private final TestServer.PortBoundTestServer testServer;
    private final Integer uiPort;

    private LocalTemporal(int port, Process devServer, TestServer.PortBoundTestServer testServer, Integer uiPort) {
        this.port = port;
        this.devServer = devServer;
        this.testServer = testServer;
        this.uiPort = uiPort;
    }

    /** The in-memory test server on 127.0.0.1:{@code port}, in this JVM, in real time. */
    public static LocalTemporal testServer(int port) {
        LocalTemporal temporal = new LocalTemporal(port, null, TestServer.createPortBoundServer(port, true), null);
        temporal.registerSearchAttributes();
        return temporal;
    }

    /** {@code temporal server start-dev} on loopback, in memory, its output in {@code log}; ready when it returns. */
    public static LocalTemporal devServer(Path cli, int port, int uiPort, Path log) {
        List<String> command = new ArrayList<>(List.of(
                cli.toString(),
                "server",
                "start-dev",
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(uiPort),
                "--namespace",
                "default",
                "--log-level",
                "warn"));
        OrderWorkflows.SEARCH_ATTRIBUTES.forEach(
                key -> command.addAll(List.of("--search-attribute", key.getName() + "=Keyword")));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            LocalTemporal temporal = new LocalTemporal(port, process, null, uiPort);
            temporal.awaitReady(log);
            return temporal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cli, e);
        }
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

    /** The Web UI, which only the dev server has. */
    public Optional<String> uiUrl() {
        return Optional.ofNullable(uiPort).map(ui -> "http://127.0.0.1:" + ui);
    }

    public boolean isDevServer() {
        return devServer != null;
    }

    /** The dev server's process id; empty for the in-memory server, which lives in this JVM. */
    public Optional<Long> pid() {
        return Optional.ofNullable(devServer).map(Process::pid);
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

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!devServer.isAlive()) {
                throw new IllegalStateException(
                        "the Temporal dev server exited with " + devServer.exitValue() + "; see " + log);
            }
            if (Ports.accepts(port) && answers()) {
                return;
            }
            LocalStack.pause(Duration.ofMillis(250));
        }
        close();
        throw new IllegalStateException(
                "the Temporal dev server was not ready within " + STARTUP_LIMIT + "; see " + log);
    }

    private boolean answers() {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(target())
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

    /** Stops the server: the dev server by its pid (SIGTERM, SIGKILL after 20 s), the test server in place. */
    @Override
    public void close() {
        if (testServer != null) {
            testServer.close();
            return;
        }
        Processes.stop(devServer, Duration.ofSeconds(20));
    }
}
