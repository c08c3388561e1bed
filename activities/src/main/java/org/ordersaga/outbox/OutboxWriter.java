package org.ordersaga.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.ordersaga.db.Json;
import org.ordersaga.saga.OrderWorkflows;
import org.ordersaga.saga.SagaService;

/**
 * Appends domain events to a service's {@code outbox} table inside the caller's transaction, so an event exists
 * exactly when the state change it describes committed. Columns follow Debezium's outbox event router
 * ({@code id}, {@code aggregatetype}, {@code aggregateid}, {@code type}, {@code payload}). When the transaction runs
 * inside a trace (OpenTelemetry), the event keeps its trace context, which the relay passes on as a header.
 */
public final class OutboxWriter {

    private static final String INSERT = """
            INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, schema_version, correlation_id,
                                traceparent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private final String aggregateType;

    /** The publishing service is the events' aggregate type, which names their topic. */
    public OutboxWriter(SagaService service) {
        this.aggregateType = service.id();
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
            insert.setString(8, currentTraceparent());
            insert.executeUpdate();
        }
    }

    /** The W3C {@code traceparent} of the current span, or null when no trace is active. */
    private static String currentTraceparent() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                + span.getTraceFlags().asHex();
    }
}
