package org.ordersaga.shipping;

import org.ordersaga.outbox.DomainEvent;
import org.ordersaga.saga.ShippingAddress;

/** The events the shipping service publishes (aggregate type {@code shipping}). */
public final class ShippingEvents {

    private ShippingEvents() {}

    public record ShipmentCreated(String orderId, String shipmentKey, String trackingNumber, ShippingAddress address)
            implements DomainEvent {}

    public record ShipmentRejected(String orderId, String shipmentKey, String reason) implements DomainEvent {}

    public record ShipmentCancelled(String orderId, String shipmentKey, String trackingNumber) implements DomainEvent {}
}
