package org.ordersaga.orders;

import java.math.BigDecimal;

public record CompletedOrder(String orderId, BigDecimal total, String shipmentKey) {}
