package org.ordersaga.orders;

import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.SagaFailure;

public record CompensatedOrder(OrderRequest order, SagaFailure failure) {}
