package org.ordersaga.inventory;

import java.util.List;
import org.ordersaga.saga.OrderItem;

public record ReserveRequest(String idempotencyKey, String orderId, List<OrderItem> items) {}
