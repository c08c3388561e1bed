package org.ordersaga.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ordersaga.db.Queries;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.saga.FailureTypes;
import org.ordersaga.saga.OrderItem;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.SagaFailure;
import org.ordersaga.saga.SagaStep;
import org.ordersaga.saga.ShippingAddress;
import org.ordersaga.saga.StepState;
import org.ordersaga.saga.StepStatus;

class OrderActivitiesTest {

    private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static TestDatabases databases;
    private static DataSource orders;
    private static OrderActivitiesImpl activities;

    @BeforeAll
    static void migrate() {
        databases = TestDatabases.create();
        orders = databases.dataSource(ServiceSchema.ORDERS);
        activities = new OrderActivitiesImpl(orders, meters);
    }

    @AfterAll
    static void close() {
        databases.close();
    }

    private static OrderRequest order(String orderId) {
        return new OrderRequest(
                orderId,
                "cust-ok",
                List.of(new OrderItem("sku-100", 2)),
                new ShippingAddress("Ada", "1 Main St", "Springfield", "12345", "US"));
    }

    private static String status(String orderId) {
        return Queries.strings(orders, "SELECT status FROM orders WHERE order_id = ?", orderId)
                .get(0);
    }

    @Test
    void placedThenCompletedEachOnce() {
        OrderRequest order = order("o1");
        activities.recordPlaced(order);
        activities.recordPlaced(order);
        CompletedOrder completed = new CompletedOrder("o1", new BigDecimal("20.00"), "order-o1:CREATE_SHIPMENT");
        activities.recordCompleted(completed);
        activities.recordCompleted(completed);

        assertEquals("COMPLETED", status("o1"));
        assertEquals(List.of("OrderPlaced", "OrderCompleted"), Queries.eventTypes(orders, "o1"));
        assertEquals(1, outcomes("COMPLETED", "none"), "a repeat does not count again");
    }

    @Test
    void compensatedOnceWithTheFailure() {
        OrderRequest order = order("o2");
        SagaFailure failure = new SagaFailure(SagaStep.CHARGE_PAYMENT, FailureTypes.PAYMENT_DECLINED, "short");
        List<StepStatus> steps = List.of(
                new StepStatus(SagaStep.RECORD_ORDER, StepState.COMPENSATED),
                new StepStatus(SagaStep.RESERVE_INVENTORY, StepState.COMPENSATED),
                new StepStatus(SagaStep.CHARGE_PAYMENT, StepState.FAILED),
                new StepStatus(SagaStep.CREATE_SHIPMENT, StepState.SKIPPED),
                new StepStatus(SagaStep.COMPLETE_ORDER, StepState.SKIPPED));
        activities.recordPlaced(order);
        activities.recordCompensated(new CompensatedOrder(order, failure, steps));
        activities.recordCompensated(new CompensatedOrder(order, failure, steps));

        assertEquals("COMPENSATED", status("o2"));
        assertEquals(1, outcomes("COMPENSATED", FailureTypes.PAYMENT_DECLINED));
        assertEquals(
                List.of("CHARGE_PAYMENT", "PaymentDeclined", "short"),
                Queries.strings(
                        orders,
                        "SELECT unnest(ARRAY[failed_step, failure_type, failure_reason]) FROM orders WHERE order_id = ?",
                        "o2"));
        assertEquals(List.of("OrderPlaced", "OrderCompensated"), Queries.eventTypes(orders, "o2"));
        // the saga's final steps travel with the event, so the order view can answer for the order once it ended
        assertEquals(
                List.of(
                        "RECORD_ORDER COMPENSATED",
                        "RESERVE_INVENTORY COMPENSATED",
                        "CHARGE_PAYMENT FAILED",
                        "CREATE_SHIPMENT SKIPPED",
                        "COMPLETE_ORDER SKIPPED"),
                Queries.strings(
                        orders,
                        "SELECT step->>'step' || ' ' || (step->>'state') FROM outbox,"
                                + " jsonb_array_elements(payload->'steps') step"
                                + " WHERE aggregateid = ? AND type = 'OrderCompensated'",
                        "o2"));
    }

    @Test
    void compensatedEvenWhenThePlacedRecordNeverHappened() {
        OrderRequest order = order("o3");
        activities.recordCompensated(new CompensatedOrder(
                order, new SagaFailure(SagaStep.RECORD_ORDER, FailureTypes.RETRIES_EXHAUSTED, "database down"), null));

        assertEquals("COMPENSATED", status("o3"));
        assertEquals(List.of("OrderCompensated"), Queries.eventTypes(orders, "o3"));
    }

    @Test
    void aCompensatedOrderCannotBeCompleted() {
        OrderRequest order = order("o4");
        activities.recordPlaced(order);
        activities.recordCompensated(new CompensatedOrder(
                order, new SagaFailure(SagaStep.RESERVE_INVENTORY, FailureTypes.OUT_OF_STOCK, "none left"), null));

        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> activities.recordCompleted(new CompletedOrder("o4", BigDecimal.TEN, "k")));
        assertEquals("order o4 is COMPENSATED, cannot complete it", refused.getMessage());
        assertEquals(List.of("OrderPlaced", "OrderCompensated"), Queries.eventTypes(orders, "o4"));
    }

    private static double outcomes(String status, String failureType) {
        var counter = meters.find("saga.outcomes")
                .tag("status", status)
                .tag("failure_type", failureType)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theStatesTheCodeKnowsAreExactlyTheOnesTheTableAllows() {
        assertEquals(Queries.allowedStatuses(orders, "orders"), Queries.names(OrderRecordStatus.class));
    }
}
