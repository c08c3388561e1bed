package org.ordersaga.saga;

import java.math.BigDecimal;
import java.util.List;

/**
 * The saga's state as answered by the {@code status} query and returned at the end.
 *
 * @param total the order total, null until inventory has priced the order
 */
public record SagaStatus(
        String orderId,
        String customerId,
        OrderStatus status,
        List<StepStatus> steps,
        SagaFailure failure,
        BigDecimal total,
        String cancelReason) {

    public StepStatus step(SagaStep step) {
        return steps.stream().filter(s -> s.step() == step).findFirst().orElseThrow();
    }
}
