package org.ordersaga.chaos;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.ordersaga.local.ChildProcess;
import org.ordersaga.local.LocalEngines;
import org.ordersaga.local.LocalStack;
import org.ordersaga.local.LocalTemporal;
import org.ordersaga.local.OrdersClient;
import org.ordersaga.local.Ports;
import org.ordersaga.local.SagaProcesses;
import org.ordersaga.local.TemporalServer;
import org.ordersaga.saga.SagaService;

/**
 * The product as it is deployed, on 127.0.0.1: the production Temporal server (its state in PostgreSQL), PostgreSQL,
 * Kafka (one broker or a replicated cluster), a worker process per service with two payment replicas, and the API,
 * each from its packaged jar. Any worker can be killed and started again; {@link #close()} stops the product's
 * processes, then the engines.
 */
final class ChaosStack implements AutoCloseable {

    /** The worker processes by instance name; a payment replica is named {@code payment-<n>}. */
    static final List<String> WORKER_INSTANCES = List.of("orders", "inventory", "payment-1", "payment-2", "shipping");

    static final String DATABASE = "ordersaga";

    private final LocalEngines engines;
    private final Map<String, ChildProcess> workers = new LinkedHashMap<>();
    private final Set<Long> stopping = ConcurrentHashMap.newKeySet();
    private final List<String> exitedOnTheirOwn = new CopyOnWriteArrayList<>();
    private SagaProcesses processes;
    private ChildProcess api;
    private WorkflowServiceStubs temporal;
    private OrdersClient client;

    private final Thread onCtrlC = new Thread(this::close, "chaos-stack-stop");
    private boolean closed;

    private ChaosStack(Path directory) {
        this.engines = new LocalEngines(directory, DATABASE);
    }

    /**
     * Starts everything in {@code directory}, with Kafka as {@code kafkaBrokers} brokers; {@code workerSettings}
     * (fault injection, say) go to every worker as environment variables.
     */
    static ChaosStack start(
            Path directory,
            int kafkaBrokers,
            Path workerJar,
            Path apiJar,
            Map<String, String> workerSettings,
            Path temporalServerHome,
            Path temporalCli,
            Consumer<String> progress) {
        ChaosStack stack = new ChaosStack(directory);
        Runtime.getRuntime().addShutdownHook(stack.onCtrlC);
        try {
            stack.engines
                    .kafkaBrokers(kafkaBrokers)
                    .start(
                            LocalEngines.EnginePorts.ANY,
                            new LocalTemporal.Choice.ProductionServer(temporalServerHome, temporalCli),
                            progress);
            stack.temporal = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(stack.engines.temporal().target())
                    .build());
            stack.processes = stack.engines.processes(workerJar, apiJar);
            int apiPort = Ports.free();
            progress.accept("starting the API ...");
            stack.api = stack.processes.api(apiPort);
            progress.accept("starting the workers ...");
            stack.processes.withSettings(workerSettings);
            WORKER_INSTANCES.forEach(stack::startWorker);
            String apiUrl = "http://127.0.0.1:" + apiPort;
            SagaProcesses.awaitHealthy(stack.api, apiUrl);
            stack.client = new OrdersClient(
                    apiUrl, stack.engines.identity().issuer().token("chaos", true, Duration.ofHours(24)));
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** SIGKILL: the worker {@code instance} dies with whatever it was doing. */
    synchronized void killWorker(String instance) {
        ChildProcess worker = workers.get(instance);
        stopping.add(worker.pid());
        worker.kill();
    }

    /** Starts the worker {@code instance} again, as a new process appending to the same log. */
    synchronized void startWorker(String instance) {
        if (closed) {
            return;
        }
        ChildProcess worker = processes.worker(instance.replaceAll("-\\d+$", ""), instance);
        worker.onExit(code -> {
            if (!stopping.contains(worker.pid())) {
                exitedOnTheirOwn.add("worker " + instance + " (pid " + worker.pid() + ") exited with " + code + "; see "
                        + worker.log());
            }
        });
        workers.put(instance, worker);
    }

    /** Worker processes that exited without being killed or stopped: a worker must ride out what the run does. */
    List<String> exitedOnTheirOwn() {
        return List.copyOf(exitedOnTheirOwn);
    }

    /**
     * Waits until every saga has closed, every outbox is published and the order view has the outcome of
     * {@code orders} orders; whether that came within {@code limit}.
     */
    boolean awaitSettled(int orders, Duration limit) {
        Sql sql = new Sql(jdbcUrl());
        long deadline = System.nanoTime() + limit.toNanos();
        boolean settled = waitFor(deadline, () -> SagaOutcomes.running(temporal) == 0);
        for (SagaService service : SagaService.values()) {
            settled &= waitFor(
                    deadline,
                    () -> sql.count(service.id(), "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
        }
        return settled & waitFor(deadline, () -> sql.count("order_view", """
                        SELECT count(*) FROM order_view WHERE status IN ('COMPLETED', 'COMPENSATED')""") >= orders);
    }

    private static boolean waitFor(long deadline, BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LocalStack.pause(Duration.ofSeconds(1));
        }
        return true;
    }

    /** The operator's client of the API: places, cancels and reads any order. */
    OrdersClient client() {
        return client;
    }

    WorkflowServiceStubs temporal() {
        return temporal;
    }

    TemporalServer temporalServer() {
        return engines.temporal().productionServer().orElseThrow();
    }

    LocalEngines engines() {
        return engines;
    }

    String jdbcUrl() {
        return engines.jdbcUrl();
    }

    /** Stops the product's processes, then the engines; at once on Ctrl-C, even while starting. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != onCtrlC) {
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
        }
        List<ChildProcess> running = new ArrayList<>(workers.values());
        if (api != null) {
            running.add(api);
        }
        running.forEach(process -> stopping.add(process.pid()));
        running.forEach(ChildProcess::terminate);
        running.forEach(ChildProcess::awaitExit);
        if (temporal != null) {
            temporal.shutdown();
        }
        engines.close();
    }
}
