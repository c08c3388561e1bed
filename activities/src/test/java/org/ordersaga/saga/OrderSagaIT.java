package org.ordersaga.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactoryOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ordersaga.db.Queries;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.faults.FaultInjectingInterceptor;
import org.ordersaga.faults.FaultInjection;
import org.ordersaga.inventory.InventoryActivitiesImpl;
import org.ordersaga.orders.OrderActivitiesImpl;
import org.ordersaga.payment.PaymentActivitiesImpl;
import org.ordersaga.shipping.ShippingActivitiesImpl;

/**
 * The whole saga for real: the workflow and the real services on real PostgreSQL, the Temporal test server in
 * this JVM running in real time, and 20% of all activity calls failing, after their work committed or before it.
 * Then the invariants: every saga terminal, stock and money conserved, exactly the expected events, once each.
 */
class OrderSagaIT {

    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(50), 2.0, Duration.ofSeconds(1),
            Duration.ofSeconds(10), Duration.ofMinutes(2));
    private static final Map<String, Integer> INITIAL_STOCK = Map.of("sku-100", 1000, "sku-200", 5, "sku-out", 0);
    private static final BigDecimal RICH_BALANCE = new BigDecimal("1000000.00");
    private static final BigDecimal POOR_BALANCE = new BigDecimal("1.00");

    private enum Scenario { HAPPY, CANCELLED, OUT_OF_STOCK, UNKNOWN_SKU, DECLINED, UNSERVICEABLE, SCARCE }

    private TestDatabases databases;
    private TestWorkflowEnvironment env;

    private void start(FaultInjection.Mode mode) {
        databases = TestDatabases.create();
        FaultInjection injected = new FaultInjection(mode, 0.2);
        Map<String, FaultInjection> faults = Map.of(TaskQueues.ORDER_SAGA, injected, TaskQueues.INVENTORY, injected,
                TaskQueues.PAYMENT, injected, TaskQueues.SHIPPING, injected);
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .registerSearchAttribute("OrderStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                .registerSearchAttribute("CustomerId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new FaultInjectingInterceptor(faults, new Random(42)))
                        .build())
                .build());
        SagaSettings settings = new SagaSettings(Map.of(TaskQueues.ORDER_SAGA, FAST, TaskQueues.INVENTORY, FAST,
                TaskQueues.PAYMENT, FAST, TaskQueues.SHIPPING, FAST));
        var orchestrator = env.newWorker(TaskQueues.ORDER_SAGA);
        orchestrator.registerWorkflowImplementationFactory(OrderWorkflow.class, () -> new OrderWorkflowImpl(settings));
        orchestrator.registerActivitiesImplementations(
                new OrderActivitiesImpl(databases.dataSource(ServiceSchema.ORDERS)));
        env.newWorker(TaskQueues.INVENTORY).registerActivitiesImplementations(
                new InventoryActivitiesImpl(databases.dataSource(ServiceSchema.INVENTORY)));
        env.newWorker(TaskQueues.PAYMENT).registerActivitiesImplementations(
                new PaymentActivitiesImpl(databases.dataSource(ServiceSchema.PAYMENT)));
        env.newWorker(TaskQueues.SHIPPING).registerActivitiesImplementations(
                new ShippingActivitiesImpl(databases.dataSource(ServiceSchema.SHIPPING)));
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
        databases.close();
    }

    @ParameterizedTest(name = "{1} orders, faults {0}")
    @CsvSource({"AFTER_COMMIT, 200", "BEFORE, 60"})
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void ordersWithInjectedFaultsKeepEveryInvariant(FaultInjection.Mode mode, int orderCount) {
        start(mode);
        WorkflowClient client = env.getWorkflowClient();
        Map<String, Scenario> scenarios = new HashMap<>();
        Map<String, OrderRequest> orders = new HashMap<>();
        List<CompletableFuture<SagaStatus>> results = new ArrayList<>();
        int cancelsAccepted = 0;
        for (int i = 0; i < orderCount; i++) {
            Scenario scenario = Scenario.values()[i % Scenario.values().length];
            OrderRequest order = order("it-" + i, scenario, i);
            scenarios.put(order.orderId(), scenario);
            orders.put(order.orderId(), order);
            OrderWorkflow saga = client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
            WorkflowClient.start(saga::process, order);
            if (scenario == Scenario.CANCELLED) {
                try {
                    saga.cancel("changed my mind");
                    cancelsAccepted++;
                } catch (WorkflowUpdateException tooLate) {
                    // the saga had already reached the shipment: it completes, which the checks below allow
                }
            }
            results.add(WorkflowStub.fromTyped(saga).getResultAsync(SagaStatus.class));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).orTimeout(4, TimeUnit.MINUTES).join();
        List<SagaStatus> statuses = results.stream().map(CompletableFuture::join).toList();

        statuses.forEach(status -> assertOutcomeFits(scenarios.get(status.orderId()), status));
        assertTrue(cancelsAccepted > 0, "some cancellations arrive in time");
        assertEquals((long) INITIAL_STOCK.get("sku-200"), statuses.stream()
                .filter(s -> scenarios.get(s.orderId()) == Scenario.SCARCE && s.status() == OrderStatus.COMPLETED)
                .count(), "exactly the scarce sku's stock is sold");
        assertStockConserved(statuses, orders);
        assertMoneyConserved(statuses);
        assertExactlyTheExpectedEventsOnce(statuses, mode);
        report(mode, statuses, cancelsAccepted);
    }

    private static OrderRequest order(String orderId, Scenario scenario, int i) {
        String customer = scenario == Scenario.DECLINED ? "cust-poor" : "cust-ok";
        String sku = switch (scenario) {
            case OUT_OF_STOCK -> "sku-out";
            case UNKNOWN_SKU -> "sku-ghost";
            case SCARCE -> "sku-200";
            default -> "sku-100";
        };
        int quantity = scenario == Scenario.SCARCE ? 1 : 1 + i % 3;
        String country = scenario == Scenario.UNSERVICEABLE ? "XX" : "GB";
        return new OrderRequest(orderId, customer, List.of(new OrderItem(sku, quantity)),
                new ShippingAddress("Ada Lovelace", "12 St James's Square", "London", "SW1Y 4JH", country));
    }

    private static void assertOutcomeFits(Scenario scenario, SagaStatus status) {
        String description = status.orderId() + " (" + scenario + "): " + status;
        switch (scenario) {
            case HAPPY -> assertEquals(OrderStatus.COMPLETED, status.status(), description);
            case CANCELLED -> assertTrue(status.status() == OrderStatus.COMPLETED
                    || FailureTypes.ORDER_CANCELLED.equals(status.failure().type()), description);
            case OUT_OF_STOCK -> assertFailure(status, SagaStep.RESERVE_INVENTORY, FailureTypes.OUT_OF_STOCK);
            case UNKNOWN_SKU -> assertFailure(status, SagaStep.RESERVE_INVENTORY, FailureTypes.UNKNOWN_SKU);
            case DECLINED -> assertFailure(status, SagaStep.CHARGE_PAYMENT, FailureTypes.PAYMENT_DECLINED);
            case UNSERVICEABLE -> assertFailure(status, SagaStep.CREATE_SHIPMENT, FailureTypes.ADDRESS_UNSERVICEABLE);
            case SCARCE -> assertTrue(status.status() == OrderStatus.COMPLETED
                    || FailureTypes.OUT_OF_STOCK.equals(status.failure().type()), description);
        }
        assertTrue(status.status().isTerminal(), description);
    }

    private static void assertFailure(SagaStatus status, SagaStep step, String type) {
        assertEquals(OrderStatus.COMPENSATED, status.status(), status.toString());
        assertEquals(step, status.failure().step(), status.toString());
        assertEquals(type, status.failure().type(), status.toString());
    }

    /** Per sku: what is available plus what active reservations hold is the initial stock; only sold orders hold. */
    private void assertStockConserved(List<SagaStatus> statuses, Map<String, OrderRequest> orders) {
        var inventory = databases.dataSource(ServiceSchema.INVENTORY);
        Map<String, Integer> sold = new HashMap<>();
        statuses.stream().filter(s -> s.status() == OrderStatus.COMPLETED)
                .flatMap(s -> orders.get(s.orderId()).items().stream())
                .forEach(item -> sold.merge(item.sku(), item.quantity(), Integer::sum));
        INITIAL_STOCK.forEach((sku, initial) -> {
            int held = Queries.number(inventory, """
                    SELECT coalesce(sum(l.quantity), 0) FROM reservation_lines l
                    JOIN reservations r USING (reservation_key) WHERE l.sku = ? AND r.status = 'ACTIVE'""", sku)
                    .intValueExact();
            assertEquals(initial, Queries.available(inventory, sku) + held, sku + " conserved");
            assertEquals(sold.getOrDefault(sku, 0), held, sku + " held only by completed orders");
        });
    }

    /** Each balance is its initial value less what completed orders cost: every other charge was refunded. */
    private void assertMoneyConserved(List<SagaStatus> statuses) {
        var payment = databases.dataSource(ServiceSchema.PAYMENT);
        BigDecimal spent = statuses.stream()
                .filter(s -> s.status() == OrderStatus.COMPLETED && s.customerId().equals("cust-ok"))
                .map(SagaStatus::total).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, RICH_BALANCE.subtract(spent).compareTo(Queries.balance(payment, "cust-ok")));
        assertEquals(0, POOR_BALANCE.compareTo(Queries.balance(payment, "cust-poor")));
        BigDecimal charged = Queries.number(payment,
                "SELECT coalesce(sum(amount), 0) FROM charges WHERE status IN ('CHARGED', 'REFUNDED')");
        BigDecimal refunded = Queries.number(payment,
                "SELECT coalesce(sum(amount), 0) FROM charges WHERE status = 'REFUNDED'");
        assertEquals(0, charged.subtract(refunded).compareTo(spent), "charges less refunds is what was spent");
    }

    private void assertExactlyTheExpectedEventsOnce(List<SagaStatus> statuses, FaultInjection.Mode mode) {
        Map<String, List<String>> events = new HashMap<>();
        for (ServiceSchema service : ServiceSchema.values()) {
            for (String row : Queries.strings(databases.dataSource(service),
                    "SELECT aggregateid || ' ' || type FROM outbox")) {
                String[] orderAndType = row.split(" ");
                events.computeIfAbsent(orderAndType[0], k -> new ArrayList<>()).add(orderAndType[1]);
            }
        }
        for (SagaStatus status : statuses) {
            List<String> written = events.getOrDefault(status.orderId(), List.of());
            assertEquals(written.size(), Set.copyOf(written).size(), status.orderId() + " duplicates: " + written);
            assertEquals(expectedEvents(status, mode), new TreeSet<>(written), status.toString());
        }
    }

    /**
     * The events a saga's final state implies. A step left FAILED by a cancellation only ever failed by injected
     * faults: it took effect (and was undone) if they struck after the commit, not if they struck before the work.
     */
    private static Set<String> expectedEvents(SagaStatus status, FaultInjection.Mode mode) {
        if (status.status() == OrderStatus.COMPLETED) {
            return new TreeSet<>(Set.of("OrderPlaced", "InventoryReserved", "PaymentCharged", "ShipmentCreated",
                    "OrderCompleted"));
        }
        Set<String> expected = new TreeSet<>(Set.of("OrderCompensated"));
        boolean failedAttemptsTookEffect = mode == FaultInjection.Mode.AFTER_COMMIT;
        if (tookEffect(status.step(SagaStep.RECORD_ORDER).state(), failedAttemptsTookEffect)) {
            expected.add("OrderPlaced");
        }
        addStepEvents(expected, status, failedAttemptsTookEffect, SagaStep.RESERVE_INVENTORY, "InventoryReserved",
                "InventoryReleased", "InventoryReservationRejected");
        addStepEvents(expected, status, failedAttemptsTookEffect, SagaStep.CHARGE_PAYMENT, "PaymentCharged",
                "PaymentRefunded", "PaymentDeclined");
        addStepEvents(expected, status, failedAttemptsTookEffect, SagaStep.CREATE_SHIPMENT, "ShipmentCreated",
                "ShipmentCancelled", "ShipmentRejected");
        return expected;
    }

    private static void addStepEvents(Set<String> expected, SagaStatus status, boolean failedAttemptsTookEffect,
            SagaStep step, String done, String undone, String rejected) {
        StepState state = status.step(step).state();
        boolean refused = status.failure().step() == step
                && !FailureTypes.ORDER_CANCELLED.equals(status.failure().type());
        if (state == StepState.FAILED && refused) {
            expected.add(rejected);
        } else if (tookEffect(state, failedAttemptsTookEffect)) {
            expected.add(done);
            expected.add(undone);
        }
    }

    private static boolean tookEffect(StepState state, boolean failedAttemptsTookEffect) {
        return state == StepState.COMPENSATED || state == StepState.FAILED && failedAttemptsTookEffect;
    }

    private static void report(FaultInjection.Mode mode, List<SagaStatus> statuses, int cancelsAccepted) {
        Map<String, Long> outcomes = statuses.stream().collect(Collectors.groupingBy(
                s -> s.status() == OrderStatus.COMPLETED ? "COMPLETED" : "COMPENSATED/" + s.failure().type(),
                TreeMap::new, Collectors.counting()));
        int attempts = statuses.stream().flatMap(s -> s.steps().stream())
                .mapToInt(s -> s.attempts() + s.compensationAttempts()).sum();
        int calls = statuses.stream().flatMap(s -> s.steps().stream())
                .mapToInt(s -> (s.attempts() > 0 ? 1 : 0) + (s.compensationAttempts() > 0 ? 1 : 0)).sum();
        System.out.printf("OrderSagaIT (faults %s): %d orders, outcomes %s; %d cancels accepted; %d activity attempts"
                + " for %d steps and compensations, so %d retries%n", mode, statuses.size(), outcomes,
                cancelsAccepted, attempts, calls, attempts - calls);
    }
}
