package org.ordersaga.payment;

/** The {@code status} of a row of {@code charges}, keyed by the charge step's idempotency key. */
enum ChargeStatus {
    /** The customer's balance was debited. */
    CHARGED,
    /** Refused for a business reason (balance short, no account); nothing was debited. */
    DECLINED,
    /** Undone: the amount went back to the balance. */
    REFUNDED,
    /** Undone before it happened: a late charge with this key is refused. */
    VOIDED;

    /** Whether the charge took money that its undo gives back. */
    boolean tookMoney() {
        return switch (this) {
            case CHARGED -> true;
            case DECLINED, REFUNDED, VOIDED -> false;
        };
    }
}
