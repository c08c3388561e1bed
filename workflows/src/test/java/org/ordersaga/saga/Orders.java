package org.ordersaga.saga;

import java.util.List;

/** Sample orders for tests. */
final class Orders {

    private Orders() {}

    static OrderRequest order(String orderId) {
        return new OrderRequest(
                orderId,
                "cust-ok",
                List.of(new OrderItem("sku-100", 2), new OrderItem("sku-200", 1)),
                new ShippingAddress("Ada Lovelace", "12 St James's Square", "London", "SW1Y 4JH", "GB"));
    }
}
