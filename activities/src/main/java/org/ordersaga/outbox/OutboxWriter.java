package org.ordersaga.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.ordersaga.db.Json;
import org.ordersaga.saga.OrderWorkflows;

/**
 * Appends domain events to a service's {@code outbox} table inside the caller's transaction, so an event exists
 * exactly when the state change it describes committed. Columns follow Debezium's outbox event router
 * ({@code id}, {@code aggregatetype}, {@code aggregateid}, {@code type}, {@code payload}).
 */
public final class OutboxWriter {

    private static final String INSERT = """
            INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, schema_version, correlation_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """;

    private final String aggregateType;

    /** @param aggregateType the publishing service's aggregate, e.g. {@code inventory}; it names the topic */
    public OutboxWriter(String aggregateType) {
        this.aggregateType = aggregateType;
    }

    public void append(Connection connection, DomainEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, aggregateType);
            insert.setString(3, event.orderId());
            insert.setString(4, event.type());
            insert.setObject(5, Json.jsonb(event));
            insert.setInt(6, event.schemaVersion());
            insert.setString(7, OrderWorkflows.workflowId(event.orderId()));
            insert.executeUpdate();
        }
    }
}
