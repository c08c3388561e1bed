package org.ordersaga.payment;

import java.math.BigDecimal;
import org.ordersaga.outbox.DomainEvent;

/**
 * The events the payment service publishes (aggregate type {@code payment}). {@code PaymentCharged} and
 * {@code PaymentRefunded} are at version 2: money with its currency, where version 1 had a bare {@code amount}.
 */
public final class PaymentEvents {

    private PaymentEvents() {}

    public record PaymentCharged(String orderId, String chargeKey, String customerId, Money charged)
            implements DomainEvent {
        @Override
        public int schemaVersion() {
            return 2;
        }
    }

    public record PaymentDeclined(String orderId, String chargeKey, String customerId, BigDecimal amount, String reason)
            implements DomainEvent {}

    public record PaymentRefunded(String orderId, String chargeKey, String customerId, Money refunded)
            implements DomainEvent {
        @Override
        public int schemaVersion() {
            return 2;
        }
    }
}
