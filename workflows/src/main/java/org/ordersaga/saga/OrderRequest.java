package org.ordersaga.saga;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The saga's input: what the customer ordered and where it goes. */
public record OrderRequest(String orderId, String customerId, List<OrderItem> items, ShippingAddress shippingAddress) {

    public static final int MAX_LINES = 100;
    public static final int MAX_QUANTITY = 1000;
    public static final int MAX_ID_LENGTH = 64;
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_LINE1_LENGTH = 200;
    public static final int MAX_CITY_LENGTH = 100;
    public static final int MAX_POSTAL_CODE_LENGTH = 20;

    /** Every reason this order cannot be processed; empty when it is well formed. */
    public List<String> problems() {
        return problems(true);
    }

    /**
     * The rules of the first release: present, non-blank fields and sane lines, without the bounds and character
     * rules of {@link #problems()}. Sagas started before those rules replay by these (see {@code OrderWorkflowImpl}).
     */
    List<String> firstReleaseProblems() {
        return problems(false);
    }

    private List<String> problems(boolean textRules) {
        List<String> problems = new ArrayList<>();
        text(problems, textRules, "orderId", orderId, MAX_ID_LENGTH);
        text(problems, textRules, "customerId", customerId, MAX_ID_LENGTH);
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
                text(problems, textRules, "items[" + i + "].sku", item.sku(), MAX_ID_LENGTH);
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
            text(problems, textRules, "shippingAddress.name", shippingAddress.name(), MAX_NAME_LENGTH);
            text(problems, textRules, "shippingAddress.line1", shippingAddress.line1(), MAX_LINE1_LENGTH);
            text(problems, textRules, "shippingAddress.city", shippingAddress.city(), MAX_CITY_LENGTH);
            text(
                    problems,
                    textRules,
                    "shippingAddress.postalCode",
                    shippingAddress.postalCode(),
                    MAX_POSTAL_CODE_LENGTH);
            String country = shippingAddress.country();
            if (!textRules) {
                text(problems, false, "shippingAddress.country", country, 2);
            } else if (country == null || !country.matches("[A-Z]{2}")) {
                problems.add("shippingAddress.country: an ISO 3166-1 alpha-2 code, two capital letters");
            }
        }
        return problems;
    }

    public int itemCount() {
        return items.stream().mapToInt(OrderItem::quantity).sum();
    }

    private static void text(List<String> problems, boolean textRules, String field, String value, int maxLength) {
        if (textRules) {
            TextRules.requireText(problems, field, value, maxLength);
        } else if (value == null || value.isBlank()) {
            problems.add(field + ": must not be blank");
        }
    }
}
