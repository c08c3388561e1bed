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
import java.util.Set;
import javax.sql.DataSource;
import org.ordersaga.db.Transactions;

/** Lists orders from the order-view projection, newest state first per order id, a page at a time. */
@Singleton
class OrderViews {

    static final int MAX_LIMIT = 100;
    private static final Set<String> STATUSES = Set.of("PROCESSING", "COMPENSATING", "COMPLETED", "COMPENSATED");

    @Serdeable
    record Summary(String orderId, @Nullable String customerId, String status, @Nullable BigDecimal total,
            @Nullable String failureType, Instant lastEventAt) {}

    @Serdeable
    record Page(List<Summary> orders, @Nullable String nextCursor) {}

    private final Transactions view;

    OrderViews(@Named("orderview") DataSource view) {
        this.view = new Transactions(view);
    }

    Page list(@Nullable String status, @Nullable String customerId, int limit, @Nullable String cursor) {
        List<String> problems = new ArrayList<>();
        if (status != null && !STATUSES.contains(status)) {
            problems.add("status: one of " + STATUSES);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            problems.add("limit: between 1 and " + MAX_LIMIT);
        }
        String after = cursor == null ? "" : decode(cursor, problems);
        if (!problems.isEmpty()) {
            throw new ApiFailures.InvalidOrder(problems);
        }
        List<Summary> rows = view.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT order_id, customer_id, status, total, failure_type, last_event_at FROM order_view
                    WHERE (?::text IS NULL OR status = ?) AND (?::text IS NULL OR customer_id = ?) AND order_id > ?
                    ORDER BY order_id LIMIT ?""")) {
                select.setString(1, status);
                select.setString(2, status);
                select.setString(3, customerId);
                select.setString(4, customerId);
                select.setString(5, after);
                select.setInt(6, limit + 1);
                List<Summary> found = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        found.add(new Summary(row.getString(1), row.getString(2), row.getString(3),
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
