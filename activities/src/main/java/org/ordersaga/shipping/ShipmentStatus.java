package org.ordersaga.shipping;

/** The {@code status} of a row of {@code shipments}, keyed by the shipment step's idempotency key. */
enum ShipmentStatus {
    /** A carrier has the shipment. */
    CREATED,
    /** Refused for a business reason (no carrier serves the address); nothing was created. */
    REJECTED,
    /** Undone: the shipment was cancelled. */
    CANCELLED,
    /** Undone before it happened: a late create with this key is refused. */
    VOIDED;

    /** Whether a carrier has the shipment, so that its undo cancels it. */
    boolean isWithCarrier() {
        return switch (this) {
            case CREATED -> true;
            case REJECTED, CANCELLED, VOIDED -> false;
        };
    }
}
