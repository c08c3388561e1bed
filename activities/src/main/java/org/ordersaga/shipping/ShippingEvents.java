package org.ordersaga.shipping;

import org.ordersaga.outbox.DomainEvent;

/**
 * The events the shipping service publishes (aggregate type {@code shipping}). {@code ShipmentCreated} is at version
 * 2: the shipment's destination country alone, where version 1 carried the name and address it ships to
 * ({@code docs/events.md}, "Personal data"); the address stays with the shipment, in this service's schema.
 */
public final class ShippingEvents {

    private ShippingEvents() {}

    public record ShipmentCreated(String orderId, String shipmentKey, String trackingNumber, String shippingCountry)
            implements DomainEvent {
        @Override
        public int schemaVersion() {
            return 2;
        }
    }

    public record ShipmentRejected(String orderId, String shipmentKey, String reason) implements DomainEvent {}

    public record ShipmentCancelled(String orderId, String shipmentKey, String trackingNumber) implements DomainEvent {}
}
