package org.ordersaga.db;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Each service's own PostgreSQL schema, migrated by Flyway from the {@code db} folder beside its code. A service's
 * connections use its schema as the search path, so its SQL names its own tables unqualified.
 */
public enum ServiceSchema {
    ORDERS("orders"),
    INVENTORY("inventory"),
    PAYMENT("payment"),
    SHIPPING("shipping");

    private final String schema;

    ServiceSchema(String schema) {
        this.schema = schema;
    }

    public String schema() {
        return schema;
    }

    /** Migrates the schema; with {@code demoData}, also seeds the demo catalog and customers (idempotently). */
    public void migrate(DataSource dataSource, boolean demoData) {
        List<String> locations = new ArrayList<>(List.of("classpath:org/ordersaga/" + schema + "/db/migration"));
        if (demoData) {
            locations.add("classpath:org/ordersaga/" + schema + "/db/demo");
        }
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .locations(locations.toArray(String[]::new))
                .load()
                .migrate();
    }
}
