package org.ordersaga.inventory;

import java.math.BigDecimal;
import java.util.Optional;
import javax.sql.DataSource;
import org.ordersaga.db.Transactions;

/** What others may read of the inventory service's state (the API's operator views), read-only. */
public final class InventoryReadModel {

    public record StockLevel(String sku, BigDecimal unitPrice, int available, int reserved) {}

    private final Transactions transactions;
    private final InventoryRepository repository = new InventoryRepository();

    /** @param inventory a (read-only) login on the inventory schema */
    public InventoryReadModel(DataSource inventory) {
        this.transactions = new Transactions(inventory);
    }

    public Optional<StockLevel> stock(String sku) {
        return transactions.inTransaction(connection -> repository.stockLevel(connection, sku));
    }
}
