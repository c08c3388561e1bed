package org.ordersaga.db;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Each service's own PostgreSQL schema, migrated by Flyway from the {@code db} folder beside its code, plus the
 * shared outbox table, which keeps a migration history of its own so that its versions never collide with the
 * service's. A service's connections use its schema as the search path, so its SQL names its tables unqualified.
 */
public enum ServiceSchema {
    ORDERS("orders", "orders", true),
    INVENTORY("inventory", "inventory", true),
    PAYMENT("payment", "payment", true),
    SHIPPING("shipping", "shipping", true),
    /** The read side: the order-view projection, built from the events; it publishes none. */
    ORDER_VIEW("order_view", "orderview", false),
    /** The REST API's own state: idempotency keys of order requests. */
    API("api", "api", false);

    private final String schema;
    private final String folder;
    private final boolean hasOutbox;

    ServiceSchema(String schema, String folder, boolean hasOutbox) {
        this.schema = schema;
        this.folder = folder;
        this.hasOutbox = hasOutbox;
    }

    public boolean hasOutbox() {
        return hasOutbox;
    }

    public String schema() {
        return schema;
    }

    /** Migrates the schema; with {@code demoData}, also seeds the demo catalog and customers (idempotently). */
    public void migrate(DataSource dataSource, boolean demoData) {
        if (hasOutbox) {
            migrate(dataSource, "outbox_schema_history", List.of("classpath:org/ordersaga/outbox/db/migration"));
        }
        List<String> locations = new ArrayList<>(List.of("classpath:org/ordersaga/" + folder + "/db/migration"));
        if (demoData) {
            locations.add("classpath:org/ordersaga/" + folder + "/db/demo");
        }
        migrate(dataSource, "flyway_schema_history", locations);
    }

    /** A baseline at version 0 lets the second history start in a schema the first one already populated. */
    private void migrate(DataSource dataSource, String historyTable, List<String> locations) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .table(historyTable)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .locations(locations.toArray(String[]::new))
                .load()
                .migrate();
    }
}
