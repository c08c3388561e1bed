package org.ordersaga.saga;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The saga's input: what the customer ordered and where it goes. */
public record OrderRequest(String orderId, String customerId, List<OrderItem> items, ShippingAddress shippingAddress) {

    public static final int MAX_LINES = 100;
    public static final int MAX_QUANTITY = 1000;

    /** Every reason this order cannot be processed; empty when it is well formed. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        requireText(problems, "orderId", orderId);
        requireText(problems, "customerId", customerId);
        if (items == null || items.isEmpty()) {
            problems.add("items: must not be empty");
        } else {
            if (items.size() > MAX_LINES) {
                problems.add("items: at most " + MAX_LINES + " lines");
            }
            Set<String> skus = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                OrderItem item = items.get(i);
                if (item == null) {
                    problems.add("items[" + i + "]: must not be null");
                    continue;
                }
                requireText(problems, "items[" + i + "].sku", item.sku());
                if (item.quantity() < 1 || item.quantity() > MAX_QUANTITY) {
                    problems.add("items[" + i + "].quantity: must be between 1 and " + MAX_QUANTITY);
                }
                if (item.sku() != null && !skus.add(item.sku())) {
                    problems.add("items[" + i + "].sku: duplicate sku " + item.sku());
                }
            }
        }
        if (shippingAddress == null) {
            problems.add("shippingAddress: must not be null");
        } else {
            requireText(problems, "shippingAddress.name", shippingAddress.name());
            requireText(problems, "shippingAddress.line1", shippingAddress.line1());
            requireText(problems, "shippingAddress.city", shippingAddress.city());
            requireText(problems, "shippingAddress.postalCode", shippingAddress.postalCode());
            requireText(problems, "shippingAddress.country", shippingAddress.country());
        }
        return problems;
    }

    public int itemCount() {
        return items.stream().mapToInt(OrderItem::quantity).sum();
    }

    private static void requireText(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + ": must not be blank");
        }
    }
}
