package org.ordersaga.saga;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ordersaga.activity.DatabaseFailures;
import org.ordersaga.activity.ServiceActivities;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.faults.FaultInjectingInterceptor;
import org.ordersaga.faults.FaultInjection;

/**
 * The saga for real in tests: the workflow and the four services on real PostgreSQL, the Temporal test server in
 * this JVM running in real time, with faults injected into every service; and orders of every outcome to run.
 */
public final class SagaFixture implements AutoCloseable {

    public enum Scenario {
        HAPPY,
        CANCELLED,
        OUT_OF_STOCK,
        UNKNOWN_SKU,
        DECLINED,
        UNSERVICEABLE,
        SCARCE
    }

    /** The orders of one run, by id in start order, and how each ended. */
    public record Run(
            Map<String, Scenario> scenarios,
            Map<String, OrderRequest> orders,
            List<SagaStatus> statuses,
            int cancelsAccepted) {}

    private static final RetryPolicy FAST = new RetryPolicy(
            Duration.ofMillis(50), 2.0, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(2));
    static final SagaPolicy POLICY = new SagaPolicy(
            Arrays.stream(SagaService.values()).collect(Collectors.toMap(SagaService::id, service -> FAST)));

    private final TestWorkflowEnvironment env;

    public SagaFixture(TestDatabases databases, FaultInjection faults) {
        Map<String, FaultInjection> everywhere = Arrays.stream(SagaService.values())
                .collect(Collectors.toMap(SagaService::taskQueue, service -> faults));
        TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(
                                new DatabaseFailures(new SimpleMeterRegistry()),
                                new FaultInjectingInterceptor(everywhere, new Random(42)))
                        .build());
        OrderWorkflows.SEARCH_ATTRIBUTES.forEach(
                key -> options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        env = TestWorkflowEnvironment.newInstance(options.build());
        for (SagaService service : SagaService.values()) {
            env.newWorker(service.taskQueue())
                    .registerActivitiesImplementations(ServiceActivities.of(
                            service, databases.dataSource(ServiceSchema.of(service)), new SimpleMeterRegistry()));
        }
        env.getWorkerFactory()
                .getWorker(SagaService.ORDERS.taskQueue())
                .registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
        env.start();
    }

    /** Starts {@code count} orders, the scenarios in turn, cancelling each CANCELLED one at once; waits for all. */
    public Run run(String idPrefix, int count) {
        WorkflowClient client = env.getWorkflowClient();
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        Map<String, OrderRequest> orders = new LinkedHashMap<>();
        List<CompletableFuture<SagaStatus>> results = new ArrayList<>();
        int cancelsAccepted = 0;
        for (int i = 0; i < count; i++) {
            Scenario scenario = Scenario.values()[i % Scenario.values().length];
            OrderRequest order = order(idPrefix + i, scenario, i);
            scenarios.put(order.orderId(), scenario);
            orders.put(order.orderId(), order);
            OrderWorkflow saga = client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
            WorkflowClient.start(saga::process, order, POLICY);
            if (scenario == Scenario.CANCELLED) {
                try {
                    saga.cancel("changed my mind");
                    cancelsAccepted++;
                } catch (WorkflowUpdateException tooLate) {
                    // the saga had already reached the shipment: it completes
                }
            }
            results.add(WorkflowStub.fromTyped(saga).getResultAsync(SagaStatus.class));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .orTimeout(4, TimeUnit.MINUTES)
                .join();
        return new Run(
                scenarios, orders, results.stream().map(CompletableFuture::join).toList(), cancelsAccepted);
    }

    static OrderRequest order(String orderId, Scenario scenario, int i) {
        String customer = scenario == Scenario.DECLINED ? "cust-poor" : "cust-ok";
        String sku = switch (scenario) {
            case OUT_OF_STOCK -> "sku-out";
            case UNKNOWN_SKU -> "sku-ghost";
            case SCARCE -> "sku-200";
            default -> "sku-100";
        };
        int quantity = scenario == Scenario.SCARCE ? 1 : 1 + i % 3;
        String country = scenario == Scenario.UNSERVICEABLE ? "XX" : "GB";
        return new OrderRequest(
                orderId,
                customer,
                List.of(new OrderItem(sku, quantity)),
                new ShippingAddress("Ada Lovelace", "12 St James's Square", "London", "SW1Y 4JH", country));
    }

    @Override
    public void close() {
        env.close();
    }
}
