package org.ordersaga.payment;

import io.temporal.activity.ActivityInterface;

/** The payment service. Runs on task queue {@code payment}. */
@ActivityInterface(namePrefix = "Payment")
public interface PaymentActivities {

    /**
     * Debits the customer's balance. Fails non-retryable with {@code PaymentDeclined} when the balance is short or
     * the customer has no account. A repeat with the same key returns the same outcome.
     */
    Charge charge(ChargeRequest request);

    /** Credits back exactly what the charge took. A no-op when nothing was charged or it was already refunded. */
    void refund(RefundRequest request);
}
