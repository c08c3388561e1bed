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
    VOIDED
}
