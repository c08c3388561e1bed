package org.ordersaga.db;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.ordersaga.saga.SagaService;

/**
 * Each service's own PostgreSQL schema, migrated by Flyway from the {@code db} folder beside its code, plus the
 * shared outbox table, which keeps a migration history of its own so that its versions never collide with the
 * service's. A service's connections use its schema as the search path, so its SQL names its tables unqualified.
 */
public enum ServiceSchema {
    ORDERS(SagaService.ORDERS),
    INVENTORY(SagaService.INVENTORY),
    PAYMENT(SagaService.PAYMENT),
    SHIPPING(SagaService.SHIPPING),
    /** The read side: the order-view projection, built from the events; it publishes none. */
    ORDER_VIEW("order_view", "orderview"),
    /** The REST API's own state: idempotency keys of order requests. */
    API("api", "api");

    private final String schema;
    private final String folder;
    private final SagaService service;

    /** A service's schema is named after it, and so is the package holding its migrations. */
    ServiceSchema(SagaService service) {
        this.schema = service.id();
        this.folder = service.id();
        this.service = service;
    }

    ServiceSchema(String schema, String folder) {
        this.schema = schema;
        this.folder = folder;
        this.service = null;
    }

    public static ServiceSchema of(SagaService service) {
        return valueOf(service.name());
    }

    /** A service's schema holds its outbox; the others publish nothing. */
    public boolean hasOutbox() {
        return service != null;
    }

    public String schema() {
        return schema;
    }

    /** Migrates the schema; with {@code demoData}, also seeds the demo catalog and customers (idempotently). */
    public void migrate(DataSource dataSource, boolean demoData) {
        if (hasOutbox()) {
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
