package org.ordersaga.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ordersaga.db.Queries;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.faults.FaultInjection;
import org.ordersaga.saga.SagaFixture.Scenario;

/**
 * The whole saga for real (see {@link SagaFixture}) with 20% of all activity calls failing, after their work
 * committed or before it. Then the invariants: every saga terminal, stock and money conserved, exactly the
 * expected events, once each.
 */
class OrderSagaIT {

    private static final Map<String, Integer> INITIAL_STOCK = Map.of("sku-100", 1000, "sku-200", 5, "sku-out", 0);
    private static final BigDecimal RICH_BALANCE = new BigDecimal("1000000.00");
    private static final BigDecimal POOR_BALANCE = new BigDecimal("1.00");

    private TestDatabases databases;
    private SagaFixture saga;

    @AfterEach
    void stop() {
        saga.close();
        databases.close();
    }

    @ParameterizedTest(name = "{1} orders, faults {0}")
    @CsvSource({"AFTER_COMMIT, 200", "BEFORE, 60"})
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void ordersWithInjectedFaultsKeepEveryInvariant(FaultInjection.Mode mode, int orderCount) {
        databases = TestDatabases.create();
        saga = new SagaFixture(databases, new FaultInjection(mode, 0.2));
        SagaFixture.Run run = saga.run("it-", orderCount);
        List<SagaStatus> statuses = run.statuses();
        Map<String, Scenario> scenarios = run.scenarios();

        statuses.forEach(status -> assertOutcomeFits(scenarios.get(status.orderId()), status));
        assertTrue(run.cancelsAccepted() > 0, "some cancellations arrive in time");
        assertEquals(
                (long) INITIAL_STOCK.get("sku-200"),
                statuses.stream()
                        .filter(s ->
                                scenarios.get(s.orderId()) == Scenario.SCARCE && s.status() == OrderStatus.COMPLETED)
                        .count(),
                "exactly the scarce sku's stock is sold");
        assertStockConserved(statuses, run.orders());
        assertMoneyConserved(statuses);
        assertExactlyTheExpectedEventsOnce(statuses, mode);
        report(mode, statuses, run.cancelsAccepted());
    }

    private static void assertOutcomeFits(Scenario scenario, SagaStatus status) {
        String description = status.orderId() + " (" + scenario + "): " + status;
        switch (scenario) {
            case HAPPY -> assertEquals(OrderStatus.COMPLETED, status.status(), description);
            case CANCELLED ->
                assertTrue(
                        status.status() == OrderStatus.COMPLETED
                                || FailureTypes.ORDER_CANCELLED.equals(
                                        status.failure().type()),
                        description);
            case OUT_OF_STOCK -> assertFailure(status, SagaStep.RESERVE_INVENTORY, FailureTypes.OUT_OF_STOCK);
            case UNKNOWN_SKU -> assertFailure(status, SagaStep.RESERVE_INVENTORY, FailureTypes.UNKNOWN_SKU);
            case DECLINED -> assertFailure(status, SagaStep.CHARGE_PAYMENT, FailureTypes.PAYMENT_DECLINED);
            case UNSERVICEABLE -> assertFailure(status, SagaStep.CREATE_SHIPMENT, FailureTypes.ADDRESS_UNSERVICEABLE);
            case SCARCE ->
                assertTrue(
                        status.status() == OrderStatus.COMPLETED
                                || FailureTypes.OUT_OF_STOCK.equals(
                                        status.failure().type()),
                        description);
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
        statuses.stream()
                .filter(s -> s.status() == OrderStatus.COMPLETED)
                .flatMap(s -> orders.get(s.orderId()).items().stream())
                .forEach(item -> sold.merge(item.sku(), item.quantity(), Integer::sum));
        INITIAL_STOCK.forEach((sku, initial) -> {
            int held = Queries.number(inventory, """
                    SELECT coalesce(sum(l.quantity), 0) FROM reservation_lines l
                    JOIN reservations r USING (reservation_key) WHERE l.sku = ? AND r.status = 'ACTIVE'""", sku).intValueExact();
            assertEquals(initial, Queries.available(inventory, sku) + held, sku + " conserved");
            assertEquals(sold.getOrDefault(sku, 0), held, sku + " held only by completed orders");
        });
    }

    /** Each balance is its initial value less what completed orders cost: every other charge was refunded. */
    private void assertMoneyConserved(List<SagaStatus> statuses) {
        var payment = databases.dataSource(ServiceSchema.PAYMENT);
        BigDecimal spent = statuses.stream()
                .filter(s ->
                        s.status() == OrderStatus.COMPLETED && s.customerId().equals("cust-ok"))
                .map(SagaStatus::total)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, RICH_BALANCE.subtract(spent).compareTo(Queries.balance(payment, "cust-ok")));
        assertEquals(0, POOR_BALANCE.compareTo(Queries.balance(payment, "cust-poor")));
        BigDecimal charged = Queries.number(
                payment, "SELECT coalesce(sum(amount), 0) FROM charges WHERE status IN ('CHARGED', 'REFUNDED')");
        BigDecimal refunded =
                Queries.number(payment, "SELECT coalesce(sum(amount), 0) FROM charges WHERE status = 'REFUNDED'");
        assertEquals(0, charged.subtract(refunded).compareTo(spent), "charges less refunds is what was spent");
    }

    private void assertExactlyTheExpectedEventsOnce(List<SagaStatus> statuses, FaultInjection.Mode mode) {
        Map<String, List<String>> events = new HashMap<>();
        for (ServiceSchema service : ServiceSchema.values()) {
            if (!service.hasOutbox()) {
                continue;
            }
            for (String row :
                    Queries.strings(databases.dataSource(service), "SELECT aggregateid || ' ' || type FROM outbox")) {
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
            return new TreeSet<>(
                    Set.of("OrderPlaced", "InventoryReserved", "PaymentCharged", "ShipmentCreated", "OrderCompleted"));
        }
        Set<String> expected = new TreeSet<>(Set.of("OrderCompensated"));
        boolean failedAttemptsTookEffect = mode == FaultInjection.Mode.AFTER_COMMIT;
        if (tookEffect(status.step(SagaStep.RECORD_ORDER).state(), failedAttemptsTookEffect)) {
            expected.add("OrderPlaced");
        }
        addStepEvents(
                expected,
                status,
                failedAttemptsTookEffect,
                SagaStep.RESERVE_INVENTORY,
                "InventoryReserved",
                "InventoryReleased",
                "InventoryReservationRejected");
        addStepEvents(
                expected,
                status,
                failedAttemptsTookEffect,
                SagaStep.CHARGE_PAYMENT,
                "PaymentCharged",
                "PaymentRefunded",
                "PaymentDeclined");
        addStepEvents(
                expected,
                status,
                failedAttemptsTookEffect,
                SagaStep.CREATE_SHIPMENT,
                "ShipmentCreated",
                "ShipmentCancelled",
                "ShipmentRejected");
        return expected;
    }

    private static void addStepEvents(
            Set<String> expected,
            SagaStatus status,
            boolean failedAttemptsTookEffect,
            SagaStep step,
            String done,
            String undone,
            String rejected) {
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
        Map<String, Long> outcomes = statuses.stream()
                .collect(Collectors.groupingBy(
                        s -> s.status() == OrderStatus.COMPLETED
                                ? "COMPLETED"
                                : "COMPENSATED/" + s.failure().type(),
                        TreeMap::new,
                        Collectors.counting()));
        System.out.printf(
                "OrderSagaIT (faults %s): %d orders, outcomes %s; %d cancels accepted%n",
                mode, statuses.size(), outcomes, cancelsAccepted);
    }
}
