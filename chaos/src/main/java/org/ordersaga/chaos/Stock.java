package org.ordersaga.chaos;

import java.time.Duration;
import org.ordersaga.local.LocalStack;

/**
 * A run's own customer and product, stocked so that every order could complete: the demo catalog's 1,000 units
 * would run out after a few hundred orders and turn the rest into out-of-stock compensations.
 */
final class Stock {

    static final String CUSTOMER = "cust-chaos";
    static final String SKU = "sku-chaos";
    static final int MAX_QUANTITY = 3;

    private static final String UNIT_PRICE = "10.00";
    private static final Duration MIGRATIONS_LIMIT = Duration.ofMinutes(3);

    private Stock() {}

    /** Adds them once the inventory and payment workers have created their tables. */
    static void seed(Sql sql, int orders) {
        long deadline = System.nanoTime() + MIGRATIONS_LIMIT.toNanos();
        while (true) {
            try {
                sql.execute(
                        "inventory",
                        "INSERT INTO catalog (sku, unit_price, available) VALUES ('%s', %s, %d) ON CONFLICT DO NOTHING"
                                .formatted(SKU, UNIT_PRICE, orders * MAX_QUANTITY));
                sql.execute(
                        "payment",
                        "INSERT INTO accounts (customer_id, balance) VALUES ('%s', %d) ON CONFLICT DO NOTHING"
                                .formatted(CUSTOMER, orders * MAX_QUANTITY * 10));
                return;
            } catch (IllegalStateException notMigratedYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the inventory and payment tables were not there within " + MIGRATIONS_LIMIT,
                            notMigratedYet);
                }
                LocalStack.pause(Duration.ofSeconds(1));
            }
        }
    }
}
