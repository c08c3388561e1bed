package org.ordersaga.orders;

import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;
import java.util.List;
import org.ordersaga.outbox.DomainEvent;
import org.ordersaga.saga.OrderItem;
import org.ordersaga.saga.SagaStep;
import org.ordersaga.saga.StepStatus;

/**
 * The events the orders service publishes (aggregate type {@code order}). {@code OrderPlaced} is at version 2: where
 * the order ships is its country alone, where version 1 carried the customer's name and address
 * ({@code docs/events.md}, "Personal data").
 */
public final class OrderEvents {

    private OrderEvents() {}

    public record OrderPlaced(String orderId, String customerId, List<OrderItem> items, String shippingCountry)
            implements DomainEvent {
        @Override
        public int schemaVersion() {
            return 2;
        }
    }

    public record OrderCompleted(String orderId, String customerId, BigDecimal total, String shipmentKey)
            implements DomainEvent {}

    /**
     * {@code failedStep} is null when the workflow execution itself was cancelled (in events of earlier versions);
     * {@code steps} is absent from events written before it was added.
     */
    public record OrderCompensated(
            String orderId,
            String customerId,
            @Nullable SagaStep failedStep,
            String failureType,
            String reason,
            @Nullable List<StepStatus> steps)
            implements DomainEvent {}
}
