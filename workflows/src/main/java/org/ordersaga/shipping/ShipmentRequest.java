package org.ordersaga.shipping;

import java.util.List;
import org.ordersaga.saga.OrderItem;
import org.ordersaga.saga.ShippingAddress;

public record ShipmentRequest(String idempotencyKey, String orderId, ShippingAddress address, List<OrderItem> items) {}
