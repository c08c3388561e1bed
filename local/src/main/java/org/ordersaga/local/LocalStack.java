package org.ordersaga.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.ordersaga.saga.SagaService;

/**
 * The whole product on one machine, everything on 127.0.0.1: embedded PostgreSQL, a Kafka broker, Temporal, one
 * worker process per service and the API, configured through the same environment variables a deployment uses.
 * Runs until SIGINT or SIGTERM, then stops every process it started, by pid: the API and the workers first, then
 * what they depend on.
 */
public final class LocalStack {

    private static final String DATABASE = "ordersaga";

    private final StackOptions options;
    private final PrintStream out = System.out;
    private final Deque<Runnable> stops = new ArrayDeque<>();
    private final List<ChildProcess> children = new ArrayList<>();
    private volatile boolean stopping;

    private LocalStack(StackOptions options) {
        this.options = options;
    }

    public static void main(String[] arguments) {
        // The stack's own output is its summary; the libraries in this process speak up only for warnings.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        StackOptions options;
        try {
            options = StackOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(StackOptions.USAGE);
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stack.stop();
                            stopped.countDown();
                        },
                        "local-stack-stop"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("local stack: " + e.getMessage());
            System.exit(1);
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void start() {
        requireJars();
        LocalTemporal.Choice temporalChoice = temporalChoice();
        Ports.requireFree(options.apiPort(), "the API", "--api-port");
        Ports.requireFree(options.temporalPort(), "Temporal", "--temporal-port");
        if (!(temporalChoice instanceof LocalTemporal.Choice.InMemory)) {
            Ports.requireFree(options.temporalUiPort(), "the Temporal Web UI", "--temporal-ui-port");
        }
        Ports.requireFree(options.kafkaPort(), "Kafka", "--kafka-port");
        Ports.requireFree(options.postgresPort(), "PostgreSQL", "--postgres-port");
        if (options.tracing()) {
            Ports.requireFree(options.zipkinPort(), "Zipkin", "--zipkin-port");
        }
        String apiUrl = "http://127.0.0.1:" + options.apiPort();
        LocalEngines engines = new LocalEngines(options.directory(), DATABASE).webUiDecodesWith(apiUrl);
        onStop(engines::close);
        engines.start(
                new LocalEngines.EnginePorts(
                        options.postgresPort(), options.kafkaPort(), options.temporalPort(), options.temporalUiPort()),
                temporalChoice,
                out::println);
        DemoTokens tokens = DemoTokens.write(
                engines.identity().issuer(), options.directory().resolve("tokens"));
        SagaProcesses processes = engines.processes(options.workerJar(), options.apiJar());
        Optional<LocalZipkin> zipkin = Optional.empty();
        if (options.tracing()) {
            out.println("starting Zipkin ...");
            LocalZipkin launched = LocalZipkin.launch(
                    options.zipkinJar(), options.zipkinPort(), engines.logs().resolve("zipkin.log"));
            onStop(launched::close);
            processes.withSettings(launched.awaitServing().exportSettings());
            zipkin = Optional.of(launched);
        }
        out.println("starting the workers and the API ...");
        for (SagaService service : SagaService.values()) {
            track(processes.worker(service.id(), service.id()));
        }
        ChildProcess api = processes.api(options.apiPort());
        track(api);
        SagaProcesses.awaitHealthy(api, apiUrl);

        Path stackFile = StackFile.of(engines, processes, children, apiUrl, zipkin)
                .write(options.directory().toAbsolutePath());
        printSummary(apiUrl, engines, processes, tokens, stackFile, zipkin);
        if (options.demo()) {
            new Demo(apiUrl, tokens, out, zipkin).run(engines.temporal().uiUrl());
        }
        out.println("Ctrl-C stops everything.");
    }

    /** What --temporal asks for; without it, the dev server when there is a CLI, else in memory, saying so. */
    private LocalTemporal.Choice temporalChoice() {
        Optional<Path> cli = LocalTemporal.findCli();
        StackOptions.TemporalKind kind = options.temporal()
                .orElse(cli.isPresent() ? StackOptions.TemporalKind.DEV : StackOptions.TemporalKind.MEMORY);
        return switch (kind) {
            case DEV ->
                new LocalTemporal.Choice.DevServer(required(
                        cli,
                        "--temporal=dev needs the temporal CLI: set TEMPORAL_CLI, or let ./run-local.sh build it"));
            case SERVER ->
                new LocalTemporal.Choice.ProductionServer(
                        required(
                                LocalTemporal.findServerHome(),
                                "--temporal=server needs the Temporal server: set TEMPORAL_SERVER_HOME to the folder"
                                        + " scripts/temporal-server.sh prints, or let ./run-local.sh build it"),
                        required(
                                cli,
                                "--temporal=server needs the temporal CLI too, for its namespace: set TEMPORAL_CLI, or"
                                        + " let ./run-local.sh build it"));
            case MEMORY -> {
                if (options.temporal().isEmpty()) {
                    System.err.println("No temporal CLI, so Temporal runs in memory, without its Web UI. For the Web"
                            + " UI, install Go 1.25 or newer and run ./run-local.sh again: it builds the CLI once.");
                }
                yield new LocalTemporal.Choice.InMemory();
            }
        };
    }

    private static Path required(Optional<Path> path, String otherwise) {
        return path.orElseThrow(() -> new IllegalStateException(otherwise));
    }

    /** A process {@link #stop()} stops; stopped at once if the stack is already stopping (Ctrl-C at startup). */
    private synchronized void track(ChildProcess child) {
        if (stopping) {
            child.terminate();
            child.awaitExit();
            return;
        }
        children.add(child);
        child.onExit(code -> {
            if (!stopping) {
                System.err.printf(
                        "%s (pid %d) exited with code %d; see %s%n", child.name(), child.pid(), code, child.log());
            }
        });
    }

    private void printSummary(
            String apiUrl,
            LocalEngines engines,
            SagaProcesses processes,
            DemoTokens tokens,
            Path stackFile,
            Optional<LocalZipkin> zipkin) {
        LocalTemporal temporal = engines.temporal();
        KafkaBroker kafka = engines.kafka().brokers().get(0);
        out.println();
        out.println("order-saga is running on 127.0.0.1 (state lives only until you stop it)");
        out.println("  API          " + apiUrl + "   OpenAPI (operators): " + apiUrl + "/swagger-ui/index.html");
        out.println("  Identity     " + engines.identity().issuer().issuer() + " (this run's signing key; its JWKS: "
                + engines.identity().jwksUrl() + ")");
        out.println("  Temporal     " + temporal.target() + " (" + temporal.description() + ")");
        out.println("  Temporal UI  "
                + temporal.uiUrl()
                        .map(ui -> ui + " (payloads decrypted by the API's /codec, as the operator)")
                        .orElse("none: the in-memory server has no Web UI (--temporal=dev or server has one)"));
        out.println("  Payloads     encrypted in Temporal with this run's key "
                + processes.payloadKey().id());
        out.println("  Kafka        " + kafka.bootstrapServers() + " (pid=" + kafka.pid() + ")");
        out.println("  PostgreSQL   " + engines.jdbcUrl() + " (user postgres)");
        zipkin.ifPresent(traces -> out.println("  Traces       " + traces.uiUrl() + " (Zipkin, pid="
                + traces.process().pid() + "; every process sends it its spans)"));
        for (ChildProcess child : children) {
            out.printf("  %-20s pid=%d  log %s%n", child.name(), child.pid(), child.log());
        }
        for (SagaService service : SagaService.values()) {
            out.printf(
                    "  %-20s %s/prometheus, /health%n", "metrics " + service.id(), processes.workerUrl(service.id()));
        }
        out.println("  Logs         " + engines.logs() + " (Kafka: " + kafka.log() + ")");
        out.println("  Stack file   " + stackFile + " (each process: its role, pid and URLs, as JSON)");
        out.println();
        out.println(
                "Tokens (bearer JWTs, valid " + DemoTokens.VALIDITY.toDays() + " days, signed with this run's key):");
        out.println("  " + tokens.file(DemoTokens.OK_CUSTOMER) + ", "
                + tokens.file(DemoTokens.POOR_CUSTOMER).getFileName()
                + " (customers), " + tokens.file(DemoTokens.OPERATOR).getFileName() + " (operator: every order,"
                + " stock, balances, /prometheus, Swagger UI)");
        out.println("  another: scripts/token.sh SUBJECT [--operator]");
        out.println();
        out.println("Place an order as cust-ok:");
        out.println("  curl -i -X POST " + apiUrl + "/orders -H \"Authorization: Bearer $(cat "
                + tokens.file(DemoTokens.OK_CUSTOMER) + ")\" -H 'Content-Type: application/json' -d '{\"items\":"
                + "[{\"sku\":\"sku-100\",\"quantity\":2}],\"shippingAddress\":{\"name\":\"Ada\","
                + "\"line1\":\"1 Main St\",\"city\":\"London\",\"postalCode\":\"N1 9GU\",\"country\":\"GB\"}}'");
    }

    /** What {@link #stop()} undoes, last first; done at once if the stack is already stopping (Ctrl-C at startup). */
    private synchronized void onStop(Runnable stop) {
        if (stopping) {
            stop.run();
        } else {
            stops.push(stop);
        }
    }

    /** The API and the workers all at once (each finishes its work in flight), then Temporal, Kafka, PostgreSQL. */
    private synchronized void stop() {
        stopping = true;
        if (!stops.isEmpty()) {
            out.println("stopping ...");
        }
        children.forEach(ChildProcess::terminate);
        children.forEach(ChildProcess::awaitExit);
        while (!stops.isEmpty()) {
            try {
                stops.pop().run();
            } catch (RuntimeException e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
    }

    private void requireJars() {
        List<Path> jars = new ArrayList<>(List.of(options.workerJar(), options.apiJar()));
        if (options.tracing()) {
            jars.add(options.zipkinJar());
        }
        for (Path jar : jars) {
            if (!Files.isReadable(jar)) {
                throw new IllegalStateException(
                        jar + " is missing; build it with ./mvnw -q package -DskipTests" + " (./run-local.sh does)");
            }
        }
    }

    /**
     * Empties {@code directory}, creating it if need be: the stack starts empty (PostgreSQL, Kafka and the in-memory
     * Temporal would anyway), and so do the tests that run its parts.
     */
    public static Path freshDirectory(Path directory) {
        if (Files.exists(directory)) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clear " + directory, e);
            }
        }
        return createDirectories(directory);
    }

    private static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
