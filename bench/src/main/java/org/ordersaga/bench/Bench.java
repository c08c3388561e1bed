package org.ordersaga.bench;

import com.uber.m3.tally.Scope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.ordersaga.local.ChildProcess;
import org.ordersaga.local.KafkaBroker;
import org.ordersaga.local.LocalEngines;
import org.ordersaga.local.LocalPostgres;
import org.ordersaga.local.LocalTemporal;
import org.ordersaga.local.OrdersClient;
import org.ordersaga.local.PayloadKey;
import org.ordersaga.local.Ports;
import org.ordersaga.local.SagaProcesses;
import org.ordersaga.local.TokenIssuer;
import org.ordersaga.saga.OrderItem;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.OrderWorkflow;
import org.ordersaga.saga.OrderWorkflowImpl;
import org.ordersaga.saga.OrderWorkflows;
import org.ordersaga.saga.SagaPolicy;
import org.ordersaga.saga.SagaService;
import org.ordersaga.saga.SagaStatus;
import org.ordersaga.saga.ShippingAddress;
import org.ordersaga.temporal.PayloadEncryption;
import org.ordersaga.temporal.PayloadEncryptionProperties;
import org.ordersaga.temporal.TemporalConnection;

/**
 * The benchmark: starts the local stack (embedded PostgreSQL, a Kafka broker, the Temporal dev server when the CLI
 * is there, else the in-memory test server; the four workers and the API as processes from their jars), runs the
 * scenarios and writes {@code report.md} and {@code report.json}. Every figure stands beside its limit measured in the
 * same run, since absolute numbers on a shared machine drift.
 */
public final class Bench {

    static final String SKU = "bench-sku";
    static final String CUSTOMER = "bench-customer";
    private static final String DATABASE = "saga";
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
    private static final String BENCH = "bench";
    private static final ShippingAddress ADDRESS =
            new ShippingAddress("Ada Lovelace", "12 St James's Square", "London", "SW1Y 4JH", "GB");

    private final BenchOptions options;
    private final List<AutoCloseable> toStop = new ArrayList<>();

    Bench(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] arguments) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path report = new Bench(options).run();
        System.out.println("report: " + report.resolve("report.md") + " and " + report.resolve("report.json"));
    }

    /** Runs every scenario; returns the directory holding the report. */
    Path run() throws Exception {
        Path directory = options.out().toAbsolutePath();
        Report report = new Report(options);
        try (Progress progress = new Progress(options.planned(), System.err, System.console() != null)) {
            progress.phase("starting PostgreSQL, Kafka, Temporal");
            LocalEngines engines = new LocalEngines(directory, DATABASE);
            toStop.add(engines);
            LocalTemporal.Choice temporalChoice = LocalTemporal.Choice.devServerIfAny();
            engines.start(LocalEngines.EnginePorts.ANY, temporalChoice, progress::say);
            LocalPostgres postgres = engines.postgres();
            KafkaBroker kafka = engines.kafka().brokers().get(0);
            LocalTemporal temporal = engines.temporal();
            report.temporal(
                    temporalChoice instanceof LocalTemporal.Choice.DevServer devServer
                            ? "the temporal CLI's dev server (" + devServer.cli() + ")"
                            : "the SDK's in-memory test server (no temporal CLI found)");
            progress.say("Temporal: " + report.temporal());

            progress.phase("starting the workers and the API");
            SagaProcesses saga =
                    engines.processes(options.workerJar(), options.apiJar()).withSettings(tuningVariables());
            Map<String, ChildProcess> processes = new LinkedHashMap<>();
            for (SagaService service : SagaService.values()) {
                processes.put("worker " + service.id(), saga.worker(service.id(), service.id()));
            }
            int apiPort = Ports.free();
            String apiUrl = "http://127.0.0.1:" + apiPort;
            processes.put("api", saga.api(apiPort));
            toStop.add(() -> stopAll(processes));
            SagaProcesses.awaitHealthy(processes.get("api"), apiUrl);
            seed(postgres);
            TokenIssuer tokens = engines.identity().issuer();
            // the customer places its own orders, with a token the API checks as it checks a real provider's
            OrdersClient api = new OrdersClient(apiUrl, tokens.token(CUSTOMER, false, Duration.ofDays(1)));
            OrdersClient operator = new OrdersClient(apiUrl, tokens.token("bench-operator", true, Duration.ofDays(1)));
            PrometheusMeterRegistry benchMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Scope sdkMetrics = TemporalConnection.metrics(benchMeters);
            toStop.add(sdkMetrics::close);
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(temporal.target())
                    .setMetricsScope(sdkMetrics)
                    .build());
            toStop.add(stubs::shutdown);
            PayloadKey payloadKey = saga.payloadKey();
            WorkflowClient client = WorkflowClient.newInstance(
                    stubs,
                    WorkflowClientOptions.newBuilder()
                            .setNamespace("default")
                            .setDataConverter(TemporalConnection.dataConverter(PayloadEncryption.of(
                                    new PayloadEncryptionProperties(List.of(payloadKey.entry()), payloadKey.id()))))
                            .build());

            long bench = ProcessHandle.current().pid();
            // the engines and the benchmark run in the saga's scenario and the ceiling's alike
            Map<String, Long> enginesAndBench = new LinkedHashMap<>();
            temporal.pid().ifPresent(pid -> enginesAndBench.put("temporal server", pid));
            enginesAndBench.put("kafka", kafka.pid());
            enginesAndBench.put("postgresql", postgres.pid());
            enginesAndBench.put(BENCH, bench);
            Map<String, Long> productPids = new LinkedHashMap<>();
            processes.forEach((name, process) -> productPids.put(name, process.pid()));
            Map<String, Long> sagaProcesses = new LinkedHashMap<>(productPids);
            sagaProcesses.putAll(enginesAndBench);
            Map<String, Long> jvms = new LinkedHashMap<>(productPids);
            jvms.put("kafka", kafka.pid());
            jvms.put(BENCH, bench);
            Map<String, Supplier<String>> sagaSdk = new LinkedHashMap<>();
            for (SagaService service : SagaService.values()) {
                OrdersClient worker = new OrdersClient(saga.workerUrl(service.id()));
                sagaSdk.put("worker " + service.id(), () -> worker.text("/prometheus"));
            }
            sagaSdk.put("api", () -> operator.text("/prometheus"));
            String database = postgres.jdbcUrl(DATABASE);

            Profiles sagaProfiles =
                    Profiles.start(jvms, directory.resolve("jfr").resolve("saga"));
            try (CompletionWatcher completions = new CompletionWatcher(kafka.bootstrapServers())) {
                ladder(
                        "saga",
                        new SystemCost(sagaProcesses, sagaSdk, database),
                        () -> completions.completionOf(api.place(CUSTOMER, SKU, 1, "GB")),
                        progress,
                        report::saga);
                apiOverhead(api, client, completions, productPids, progress, report);
            }
            report.profiles("saga", sagaProfiles.stop());

            progress.phase("stopping the workers and the API");
            stopAll(processes);
            Profiles ceilingProfiles = Profiles.start(
                    Map.of(BENCH, bench), directory.resolve("jfr").resolve("ceiling"));
            WorkerFactory factory = noOpWorkers(client);
            try {
                ladder(
                        "ceiling",
                        new SystemCost(enginesAndBench, Map.of(BENCH, benchMeters::scrape), database),
                        () -> startNoOpSaga(client),
                        progress,
                        report::ceiling);
            } finally {
                factory.shutdownNow();
            }
            report.profiles("ceiling", ceilingProfiles.stop());

            progress.phase("relay: " + options.relayEvents() + " outbox rows");
            Resources resources = Resources.measure(Map.of("bench (relay, writers, raw producer)", bench));
            RelayBench.Result relay =
                    RelayBench.run(postgres, kafka.bootstrapServers(), options.relayEvents(), options.relayBatchSize());
            report.relay(relay, resources.stop());
            progress.phase("relay: draining " + options.relayBacklog() + " rows, and the bare SQL cycle");
            RelayLimits.Drain drain = RelayLimits.drain(
                    postgres,
                    kafka.bootstrapServers(),
                    options.relayBacklog(),
                    options.relayBatchSize(),
                    enginesAndBench);
            progress.phase("relay: paced at " + options.relayPacedRate() + " events/s, and the raw producer");
            RelayLimits.Paced paced = RelayLimits.paced(
                    postgres,
                    kafka.bootstrapServers(),
                    options.relayPacedRate(),
                    options.duration(),
                    options.relayBatchSize(),
                    enginesAndBench);
            report.relayLimits(drain, paced);
            progress.phase("stopping");
        } finally {
            for (int i = toStop.size() - 1; i >= 0; i--) {
                toStop.get(i).close();
            }
        }
        return report.write(directory);
    }

    /**
     * Runs the rates in turn, up to the first one not kept up; each step's figures go to {@code step}. The first
     * step warms up for longer, so that the JVMs' JIT compilation is done before anything is measured.
     */
    private void ladder(
            String scenario,
            SystemCost cost,
            OpenLoop.Arrival arrival,
            Progress progress,
            BiConsumer<OpenLoop.Result, SystemCost.Spent> step) {
        Duration warmup = options.jitWarmup();
        for (double rate : options.rates()) {
            progress.phase(scenario + ": " + rate + " arrivals/s");
            OpenLoop.Result result = OpenLoop.run(rate, warmup, options.duration(), DRAIN_LIMIT, arrival, cost);
            step.accept(result, cost.spent());
            progress.say(Report.line(scenario, result));
            if (!result.keptUp()) {
                return;
            }
            warmup = options.warmup();
        }
    }

    /** Scenario 4: orders placed through the API, then the same workflow started directly, closed-loop. */
    private void apiOverhead(
            OrdersClient api,
            WorkflowClient client,
            CompletionWatcher completions,
            Map<String, Long> pids,
            Progress progress,
            Report report)
            throws Exception {
        progress.phase("API overhead: POST /orders");
        List<String> placed = Collections.synchronizedList(new ArrayList<>());
        Resources resources = Resources.measure(pids);
        ClosedLoop.Result viaApi = ClosedLoop.run(
                options.apiRequests(), options.apiClients(), () -> placed.add(api.place(CUSTOMER, SKU, 1, "GB")));
        Map<String, Resources.Usage> usage = resources.stop();
        progress.phase("API overhead: starting workflows directly");
        ClosedLoop.Result direct = ClosedLoop.run(options.apiRequests(), options.apiClients(), () -> {
            OrderRequest order = order();
            WorkflowClient.start(saga(client, order)::process, order, SagaPolicy.DEFAULT);
            placed.add(order.orderId());
        });
        report.api(viaApi, direct, usage);
        progress.phase("letting the last sagas finish");
        // so that no saga of the real services is left for the ceiling's no-op workers to finish; closed-loop starts
        // outrun completions, so what is left takes about its number over the saga's best rate, given twice that
        long limitSeconds =
                DRAIN_LIMIT.toSeconds() + Math.round(2 * placed.size() / Math.max(1, report.sagaMaxPerSecond()));
        CompletableFuture.allOf(placed.stream().map(completions::completionOf).toArray(CompletableFuture[]::new))
                .get(limitSeconds, TimeUnit.SECONDS);
    }

    /** The worker tuning, relay batch size and JVM options, as the workers' and the API's environment variables. */
    private Map<String, String> tuningVariables() {
        return Map.of(
                "SAGA_TEMPORAL_WORKFLOW_POLLERS",
                Integer.toString(options.tuning().workflowPollers()),
                "SAGA_TEMPORAL_ACTIVITY_POLLERS",
                Integer.toString(options.tuning().activityPollers()),
                "SAGA_TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS",
                Integer.toString(options.tuning().maxConcurrentWorkflowTasks()),
                "SAGA_TEMPORAL_MAX_CONCURRENT_ACTIVITIES",
                Integer.toString(options.tuning().maxConcurrentActivities()),
                "SAGA_TEMPORAL_WORKFLOW_CACHE_SIZE",
                Integer.toString(options.tuning().workflowCacheSize()),
                "SAGA_KAFKA_RELAY_BATCH_SIZE",
                Integer.toString(options.relayBatchSize()),
                "JAVA_TOOL_OPTIONS",
                options.productJvmOptions());
    }

    /** Enough stock and money that no benchmark order is refused: every saga takes the full path. */
    private static void seed(LocalPostgres postgres) throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DATABASE));
                Statement statement = connection.createStatement()) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!tablesExist(statement)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the workers did not migrate their schemas within 2 minutes");
                }
                Thread.sleep(200);
            }
            statement.execute("INSERT INTO inventory.catalog (sku, unit_price, available) VALUES ('" + SKU
                    + "', 1.00, 1000000000)");
            statement.execute(
                    "INSERT INTO payment.accounts (customer_id, balance) VALUES ('" + CUSTOMER + "', 9999999999.99)");
        }
    }

    private static boolean tablesExist(Statement statement) throws Exception {
        try (ResultSet tables = statement.executeQuery(
                "SELECT to_regclass('inventory.catalog') IS NOT NULL AND to_regclass('payment.accounts') IS NOT NULL")) {
            tables.next();
            return tables.getBoolean(1);
        }
    }

    private static OrderRequest order() {
        return new OrderRequest(UUID.randomUUID().toString(), CUSTOMER, List.of(new OrderItem(SKU, 1)), ADDRESS);
    }

    private static OrderWorkflow saga(WorkflowClient client, OrderRequest order) {
        return client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
    }

    /** The saga workflow itself, on its task queue, with the services' activities doing nothing on theirs. */
    private WorkerFactory noOpWorkers(WorkflowClient client) {
        WorkerFactory factory = WorkerFactory.newInstance(
                client, options.tuning().factoryOptions().build());
        Object[] services = NoOpServices.all();
        List<String> queues = List.of(
                SagaService.ORDERS.taskQueue(),
                SagaService.INVENTORY.taskQueue(),
                SagaService.PAYMENT.taskQueue(),
                SagaService.SHIPPING.taskQueue());
        for (int i = 0; i < queues.size(); i++) {
            Worker worker = factory.newWorker(queues.get(i), options.tuning().workerOptions());
            worker.registerActivitiesImplementations(services[i]);
            if (queues.get(i).equals(SagaService.ORDERS.taskQueue())) {
                worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
            }
        }
        factory.start();
        return factory;
    }

    /** Starts a saga (blocking until Temporal accepted it); its completion is when its result arrives. */
    private static CompletableFuture<Long> startNoOpSaga(WorkflowClient client) {
        OrderRequest order = order();
        OrderWorkflow saga = saga(client, order);
        WorkflowClient.start(saga::process, order, SagaPolicy.DEFAULT);
        return WorkflowStub.fromTyped(saga).getResultAsync(SagaStatus.class).thenApply(status -> System.nanoTime());
    }

    private static void stopAll(Map<String, ChildProcess> processes) {
        processes.values().forEach(ChildProcess::terminate);
        processes.values().forEach(ChildProcess::awaitExit);
    }
}
