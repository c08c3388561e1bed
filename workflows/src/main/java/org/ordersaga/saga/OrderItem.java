package org.ordersaga.saga;

public record OrderItem(String sku, int quantity) {}
