package org.ordersaga.payment;

import java.math.BigDecimal;
import org.ordersaga.outbox.DomainEvent;

/** The events the payment service publishes (aggregate type {@code payment}). */
public final class PaymentEvents {

    private PaymentEvents() {}

    public record PaymentCharged(String orderId, String chargeKey, String customerId, BigDecimal amount)
            implements DomainEvent {}

    public record PaymentDeclined(String orderId, String chargeKey, String customerId, BigDecimal amount, String reason)
            implements DomainEvent {}

    public record PaymentRefunded(String orderId, String chargeKey, String customerId, BigDecimal amount)
            implements DomainEvent {}
}
