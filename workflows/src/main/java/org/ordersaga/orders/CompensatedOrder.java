package org.ordersaga.orders;

import java.util.List;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.SagaFailure;
import org.ordersaga.saga.StepStatus;

/**
 * @param steps each step's final state; null from sagas scheduled before the field existed
 */
public record CompensatedOrder(OrderRequest order, SagaFailure failure, List<StepStatus> steps) {}
