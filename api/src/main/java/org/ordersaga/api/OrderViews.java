package org.ordersaga.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ordersaga.orderview.OrderViewReadModel;
import org.ordersaga.saga.OrderStatus;

/** Lists orders from the order-view projection, newest state first per order id, a page at a time. */
@Singleton
class OrderViews {

    static final int MAX_LIMIT = 100;

    @Serdeable
    record Summary(
            String orderId,
            @Nullable String customerId,
            OrderStatus status,
            @Nullable BigDecimal total,
            @Nullable Paid paid,
            @Nullable String failureType,
            Instant lastEventAt) {}

    /** What the customer has paid and not had back, in a currency (ISO 4217). */
    @Serdeable
    record Paid(BigDecimal amount, String currency) {}

    @Serdeable
    record Page(List<Summary> orders, @Nullable String nextCursor) {}

    private final OrderViewReadModel view;

    OrderViews(OrderViewReadModel view) {
        this.view = view;
    }

    /**
     * An empty {@code customerId} or {@code cursor} is the same as none; a customer's list is of its own orders, with
     * or without {@code customerId}.
     */
    Page list(
            Caller caller,
            @Nullable OrderStatus status,
            @Nullable String customerId,
            int limit,
            @Nullable String cursor) {
        List<String> problems = new ArrayList<>();
        if (limit < 1 || limit > MAX_LIMIT) {
            problems.add("limit: between 1 and " + MAX_LIMIT);
        }
        String customer = customerId == null || customerId.isEmpty() ? null : customerId;
        if (!caller.operator()) {
            if (customer != null && !customer.equals(caller.subject())) {
                throw new ApiFailures.Forbidden("a customer lists only its own orders");
            }
            customer = caller.subject();
        }
        String after = cursor == null || cursor.isEmpty() ? "" : decode(cursor, problems);
        if (!problems.isEmpty()) {
            throw new ApiFailures.Invalid("invalid list request", problems);
        }
        List<Summary> rows = view.page(status, customer, after, limit + 1).stream()
                .map(order -> new Summary(
                        order.orderId(),
                        order.customerId(),
                        order.status(),
                        order.total(),
                        order.paid() == null
                                ? null
                                : new Paid(order.paid().amount(), order.paid().currency()),
                        order.failureType(),
                        order.lastEventAt()))
                .toList();
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        List<Summary> page = rows.subList(0, limit);
        return new Page(page, encode(page.get(limit - 1).orderId()));
    }

    private static String encode(String orderId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(orderId.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor, List<String> problems) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            problems.add("cursor: not a cursor this API returned");
            return "";
        }
    }
}
