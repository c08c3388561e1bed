package org.ordersaga.payment;

import java.math.BigDecimal;

public record ChargeRequest(String idempotencyKey, String orderId, String customerId, BigDecimal amount) {}
