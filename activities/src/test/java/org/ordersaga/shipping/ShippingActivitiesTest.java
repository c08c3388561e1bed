package org.ordersaga.shipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
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
import org.ordersaga.saga.ShippingAddress;

class ShippingActivitiesTest {

    private static TestDatabases databases;
    private static DataSource shipping;
    private static ShippingActivitiesImpl activities;

    @BeforeAll
    static void migrate() {
        databases = TestDatabases.create();
        shipping = databases.dataSource(ServiceSchema.SHIPPING);
        activities = new ShippingActivitiesImpl(shipping);
    }

    @AfterAll
    static void close() {
        databases.close();
    }

    private static ShipmentRequest request(String orderId, String country) {
        return new ShipmentRequest(
                "order-" + orderId + ":CREATE_SHIPMENT",
                orderId,
                new ShippingAddress("Grace Hopper", "1 Navy Way", "Arlington", "22202", country),
                List.of(new OrderItem("sku-100", 1)));
    }

    private static String status(String orderId) {
        return Queries.strings(shipping, "SELECT status FROM shipments WHERE order_id = ?", orderId)
                .get(0);
    }

    @Test
    void createsOnceEvenWhenRepeated() {
        ShipmentRequest request = request("s1", "US");

        Shipment first = activities.createShipment(request);
        Shipment repeated = activities.createShipment(request);

        assertEquals(first, repeated);
        assertTrue(first.trackingNumber().startsWith("TRK-"));
        assertEquals(List.of("ShipmentCreated"), Queries.eventTypes(shipping, "s1"));
    }

    @Test
    void rejectsAnUnserviceableCountryOnce() {
        ShipmentRequest request = request("s2", "xx");

        ApplicationFailure first = assertThrows(ApplicationFailure.class, () -> activities.createShipment(request));
        ApplicationFailure repeated = assertThrows(ApplicationFailure.class, () -> activities.createShipment(request));

        assertEquals(FailureTypes.ADDRESS_UNSERVICEABLE, first.getType());
        assertTrue(first.isNonRetryable());
        assertEquals(first.getOriginalMessage(), repeated.getOriginalMessage());
        assertEquals(List.of("ShipmentRejected"), Queries.eventTypes(shipping, "s2"));
    }

    @Test
    void cancelsOnce() {
        ShipmentRequest request = request("s3", "FR");
        activities.createShipment(request);

        CancelShipmentRequest cancel = new CancelShipmentRequest(request.idempotencyKey(), "s3");
        activities.cancelShipment(cancel);
        activities.cancelShipment(cancel);

        assertEquals("CANCELLED", status("s3"));
        assertEquals(List.of("ShipmentCreated", "ShipmentCancelled"), Queries.eventTypes(shipping, "s3"));
    }

    @Test
    void cancelBeforeCreateIsANoOpThatStopsALateCreate() {
        ShipmentRequest request = request("s4", "DE");

        activities.cancelShipment(new CancelShipmentRequest(request.idempotencyKey(), "s4"));
        ApplicationFailure late = assertThrows(ApplicationFailure.class, () -> activities.createShipment(request));

        assertEquals(FailureTypes.ALREADY_COMPENSATED, late.getType());
        assertEquals("VOIDED", status("s4"));
        assertEquals(List.of(), Queries.eventTypes(shipping, "s4"));
    }

    @Test
    void theStatesTheCodeKnowsAreExactlyTheOnesTheTableAllows() {
        assertEquals(Queries.allowedStatuses(shipping, "shipments"), Queries.names(ShipmentStatus.class));
    }
}
