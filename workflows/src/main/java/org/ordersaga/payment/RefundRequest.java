package org.ordersaga.payment;

/** Undoes the charge made with {@code chargeKey}, the idempotency key of the charge step. */
public record RefundRequest(String chargeKey, String orderId) {}
