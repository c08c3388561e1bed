package org.ordersaga.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.ordersaga.db.Transactions;
import org.ordersaga.saga.OrderStatus;

/** Lists orders from the order-view projection, newest state first per order id, a page at a time. */
@Singleton
class OrderViews {

    static final int MAX_LIMIT = 100;

    @Serdeable
    record Summary(String orderId, @Nullable String customerId, OrderStatus status, @Nullable BigDecimal total,
            @Nullable String failureType, Instant lastEventAt) {}

    @Serdeable
    record Page(List<Summary> orders, @Nullable String nextCursor) {}

    private final Transactions view;

    OrderViews(@Named("orderview") DataSource view) {
        this.view = new Transactions(view);
    }

    /** An empty {@code customerId} or {@code cursor} is the same as none. */
    Page list(@Nullable OrderStatus status, @Nullable String customerId, int limit, @Nullable String cursor) {
        List<String> problems = new ArrayList<>();
        if (limit < 1 || limit > MAX_LIMIT) {
            problems.add("limit: between 1 and " + MAX_LIMIT);
        }
        String customer = customerId == null || customerId.isEmpty() ? null : customerId;
        String after = cursor == null || cursor.isEmpty() ? "" : decode(cursor, problems);
        if (!problems.isEmpty()) {
            throw new ApiFailures.Invalid("invalid list request", problems);
        }
        String statusName = status == null ? null : status.name();
        List<Summary> rows = view.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT order_id, customer_id, status, total, failure_type, last_event_at FROM order_view
                    WHERE (?::text IS NULL OR status = ?) AND (?::text IS NULL OR customer_id = ?) AND order_id > ?
                    ORDER BY order_id LIMIT ?""")) {
                select.setString(1, statusName);
                select.setString(2, statusName);
                select.setString(3, customer);
                select.setString(4, customer);
                select.setString(5, after);
                select.setInt(6, limit + 1);
                List<Summary> found = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        found.add(new Summary(row.getString(1), row.getString(2),
                                OrderStatus.valueOf(row.getString(3)),
                                row.getBigDecimal(4), row.getString(5), row.getTimestamp(6).toInstant()));
                    }
                }
                return found;
            }
        });
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
