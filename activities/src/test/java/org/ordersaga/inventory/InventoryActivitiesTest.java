package org.ordersaga.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ordersaga.db.Queries;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.saga.FailureTypes;
import org.ordersaga.saga.OrderItem;

class InventoryActivitiesTest {

    private static TestDatabases databases;
    private static DataSource inventory;
    private static InventoryActivitiesImpl activities;

    @BeforeAll
    static void migrate() {
        databases = TestDatabases.create();
        inventory = databases.dataSource(ServiceSchema.INVENTORY);
        activities = new InventoryActivitiesImpl(inventory);
    }

    @AfterAll
    static void close() {
        databases.close();
    }

    private static void stock(String sku, String unitPrice, int available) {
        databases.execute(
                ServiceSchema.INVENTORY,
                "INSERT INTO catalog VALUES ('" + sku + "', " + unitPrice + ", " + available + ")");
    }

    private static ReserveRequest request(String orderId, OrderItem... items) {
        return new ReserveRequest("order-" + orderId + ":RESERVE_INVENTORY", orderId, List.of(items));
    }

    @Test
    void reservesAtCatalogPricesAndARepeatChangesNothing() {
        stock("sku-a", "12.50", 10);
        stock("sku-b", "3.00", 10);
        ReserveRequest request = request("r1", new OrderItem("sku-a", 2), new OrderItem("sku-b", 3));

        Reservation first = activities.reserve(request);
        Reservation repeated = activities.reserve(request);

        assertEquals(
                List.of(
                        new ReservedLine("sku-a", 2, new BigDecimal("12.50")),
                        new ReservedLine("sku-b", 3, new BigDecimal("3.00"))),
                first.lines());
        assertEquals(0, new BigDecimal("34.00").compareTo(first.total()));
        assertEquals(first, repeated);
        assertEquals(8, Queries.available(inventory, "sku-a"));
        assertEquals(7, Queries.available(inventory, "sku-b"));
        assertEquals(List.of("InventoryReserved"), Queries.eventTypes(inventory, "r1"));
    }

    @Test
    void outOfStockIsRecordedOnceAndTheRepeatGetsTheSameRejection() {
        stock("sku-c", "1.00", 5);
        stock("sku-d", "1.00", 1);
        ReserveRequest request = request("r2", new OrderItem("sku-c", 2), new OrderItem("sku-d", 2));

        ApplicationFailure first = assertThrows(ApplicationFailure.class, () -> activities.reserve(request));
        ApplicationFailure repeated = assertThrows(ApplicationFailure.class, () -> activities.reserve(request));

        assertEquals(FailureTypes.OUT_OF_STOCK, first.getType());
        assertTrue(first.isNonRetryable());
        assertEquals("sku sku-d: 2 requested, 1 available", first.getOriginalMessage());
        assertEquals(first.getType(), repeated.getType());
        assertEquals(first.getOriginalMessage(), repeated.getOriginalMessage());
        assertEquals(5, Queries.available(inventory, "sku-c"), "all lines or none");
        assertEquals(List.of("InventoryReservationRejected"), Queries.eventTypes(inventory, "r2"));
    }

    @Test
    void unknownSkuIsRejected() {
        ApplicationFailure failure = assertThrows(
                ApplicationFailure.class,
                () -> activities.reserve(request("r3", new OrderItem("sku-100", 1), new OrderItem("sku-nope", 1))));

        assertEquals(FailureTypes.UNKNOWN_SKU, failure.getType());
        assertEquals(List.of("InventoryReservationRejected"), Queries.eventTypes(inventory, "r3"));
    }

    @Test
    void releaseRestoresStockOnceAndEmitsOneEvent() {
        stock("sku-e", "2.00", 4);
        ReserveRequest request = request("r4", new OrderItem("sku-e", 3));
        activities.reserve(request);
        assertEquals(1, Queries.available(inventory, "sku-e"));

        ReleaseRequest release = new ReleaseRequest(request.idempotencyKey(), "r4");
        activities.release(release);
        activities.release(release);

        assertEquals(4, Queries.available(inventory, "sku-e"));
        assertEquals(List.of("InventoryReserved", "InventoryReleased"), Queries.eventTypes(inventory, "r4"));
    }

    @Test
    void releaseBeforeReserveIsANoOpThatStopsALateReserve() {
        stock("sku-f", "2.00", 4);
        ReserveRequest request = request("r5", new OrderItem("sku-f", 1));

        activities.release(new ReleaseRequest(request.idempotencyKey(), "r5"));
        ApplicationFailure late = assertThrows(ApplicationFailure.class, () -> activities.reserve(request));

        assertEquals(FailureTypes.ALREADY_COMPENSATED, late.getType());
        assertEquals(4, Queries.available(inventory, "sku-f"));
        assertEquals(List.of(), Queries.eventTypes(inventory, "r5"), "a no-op emits nothing");
    }

    @Test
    void racingForTheLastUnitsNeverDrivesStockNegative() throws Exception {
        stock("sku-last", "9.99", 3);
        int contenders = 12;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                ReserveRequest request = request("race-" + i, new OrderItem("sku-last", 1));
                attempts.add(() -> {
                    try {
                        activities.reserve(request);
                        return true;
                    } catch (ApplicationFailure rejected) {
                        assertEquals(FailureTypes.OUT_OF_STOCK, rejected.getType());
                        return false;
                    }
                });
            }
            int reserved = 0;
            for (Future<Boolean> outcome : pool.invokeAll(attempts, 60, TimeUnit.SECONDS)) {
                reserved += outcome.get() ? 1 : 0;
            }
            assertEquals(3, reserved);
            assertEquals(0, Queries.available(inventory, "sku-last"));
            assertEquals("3", Queries.strings(inventory, """
                    SELECT sum(l.quantity) FROM reservation_lines l JOIN reservations r USING (reservation_key)
                    WHERE l.sku = ? AND r.status = 'ACTIVE'""", "sku-last").get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theStatesTheCodeKnowsAreExactlyTheOnesTheTableAllows() {
        assertEquals(Queries.allowedStatuses(inventory, "reservations"), Queries.names(ReservationStatus.class));
    }
}
