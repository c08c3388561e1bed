package org.ordersaga.chaos;

import java.util.Objects;
import org.ordersaga.saga.OrderStatus;

/**
 * How a saga ended, as Temporal and the orders service record it.
 *
 * @param closed whether its workflow execution has closed
 * @param status its {@code OrderStatus} search attribute
 * @param failureType why it compensated, from the order's own record; null when it completed
 */
record SagaOutcome(boolean closed, OrderStatus status, String failureType) {

    boolean terminal() {
        return closed && (status == OrderStatus.COMPLETED || status == OrderStatus.COMPENSATED);
    }

    boolean is(OrderStatus expectedStatus, String expectedFailureType) {
        return terminal() && status == expectedStatus && Objects.equals(failureType, expectedFailureType);
    }

    /** {@code COMPLETED}, or {@code COMPENSATED/PaymentDeclined}: how the report counts outcomes. */
    String label() {
        return (closed ? "" : "RUNNING ") + status + (failureType == null ? "" : "/" + failureType);
    }
}
