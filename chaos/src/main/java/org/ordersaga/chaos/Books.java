package org.ordersaga.chaos;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What the services own, as their own tables say: per SKU the units there are (available plus held by active
 * reservations), per customer the balance.
 */
record Books(Map<String, Long> units, Map<String, BigDecimal> balances) {

    static Books read(Sql sql) {
        Map<String, Long> units = sql.byKey("inventory", """
                SELECT c.sku, c.available + coalesce(sum(l.quantity) FILTER (WHERE r.status = 'ACTIVE'), 0)
                FROM catalog c LEFT JOIN reservation_lines l ON l.sku = c.sku
                LEFT JOIN reservations r ON r.reservation_key = l.reservation_key
                GROUP BY c.sku, c.available""", row -> row.getLong(2));
        Map<String, BigDecimal> balances =
                sql.byKey("payment", "SELECT customer_id, balance FROM accounts", row -> row.getBigDecimal(2));
        return new Books(units, balances);
    }
}
