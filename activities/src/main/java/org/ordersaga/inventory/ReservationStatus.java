package org.ordersaga.inventory;

/** The {@code status} of a row of {@code reservations}, keyed by the reserve step's idempotency key. */
enum ReservationStatus {
    /** The stock is held for the order. */
    ACTIVE,
    /** Refused for a business reason (out of stock, unknown sku); nothing was held. */
    REJECTED,
    /** Undone: the stock went back. */
    RELEASED,
    /** Undone before it happened: a late reserve with this key is refused. */
    VOIDED;

    /** Whether the reservation holds stock that its undo gives back. */
    boolean holdsStock() {
        return switch (this) {
            case ACTIVE -> true;
            case REJECTED, RELEASED, VOIDED -> false;
        };
    }
}
