package org.ordersaga.outbox;

/**
 * A fact a service publishes about an order. Its type is its record's simple name ({@code InventoryReserved}) and
 * its payload is the record itself, as JSON.
 */
public interface DomainEvent {

    String orderId();

    default String type() {
        return getClass().getSimpleName();
    }

    /** Bumped only by a breaking change to the payload; additive changes keep it. */
    default int schemaVersion() {
        return 1;
    }
}
