package org.ordersaga.orderview;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.UUID;
import org.ordersaga.db.Json;
import org.ordersaga.orderview.OrderView.TimelineEvent;
import org.ordersaga.outbox.EventEnvelope;
import org.ordersaga.outbox.EventType;
import org.ordersaga.payment.Money;
import org.ordersaga.saga.OrderStatus;

/** SQL for the order_view schema. Every method runs in the caller's transaction. */
final class OrderViewRepository {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Marks the events as applied by this consumer; returns those it had not applied before, each once. */
    List<EventEnvelope> markProcessed(Connection connection, String consumer, List<EventEnvelope> events)
            throws SQLException {
        Map<UUID, EventEnvelope> byId = new LinkedHashMap<>();
        events.forEach(event -> byId.putIfAbsent(event.eventId(), event));
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO processed_events (consumer, event_id) SELECT ?, unnest(?::uuid[])
                ON CONFLICT DO NOTHING RETURNING event_id""")) {
            insert.setString(1, consumer);
            insert.setArray(2, connection.createArrayOf("uuid", byId.keySet().toArray()));
            List<EventEnvelope> unseen = new ArrayList<>();
            try (ResultSet row = insert.executeQuery()) {
                while (row.next()) {
                    unseen.add(byId.get(row.getObject(1, UUID.class)));
                }
            }
            return unseen;
        }
    }

    /**
     * Serializes the projection of these orders across consumer instances, until the transaction ends. Taken in the
     * orders' sorted order, so that two instances locking some of the same orders cannot deadlock.
     */
    void lockOrders(Connection connection, SortedSet<String> orderIds) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("""
                SELECT pg_advisory_xact_lock(hashtextextended('order-view ' || order_id, 0))
                FROM unnest(?::text[]) WITH ORDINALITY AS locked (order_id, position) ORDER BY position""")) {
            lock.setArray(1, connection.createArrayOf("text", orderIds.toArray()));
            lock.execute();
        }
    }

    /**
     * Stores the events as the projection reads them, each with its schema version; those stored by earlier versions
     * of the projection are upcast when read.
     */
    void insertEvents(Connection connection, List<EventEnvelope> events) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO order_events (event_id, order_id, type, schema_version, occurred_at, payload)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""")) {
            for (EventEnvelope event : events) {
                insert.setObject(1, event.eventId());
                insert.setString(2, event.orderId());
                insert.setString(3, event.type());
                insert.setInt(4, event.schemaVersion());
                insert.setTimestamp(5, Timestamp.from(event.occurredAt()));
                insert.setObject(6, Json.jsonb(event.payload()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    List<TimelineEvent> timeline(Connection connection, String orderId) throws SQLException {
        return timelines(connection, Set.of(orderId)).getOrDefault(orderId, List.of());
    }

    /** Each order's events in the order they occurred, each as the newest version of its type. */
    Map<String, List<TimelineEvent>> timelines(Connection connection, Set<String> orderIds) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT order_id, type, schema_version, occurred_at, payload::text FROM order_events
                WHERE order_id = ANY (?) ORDER BY order_id, occurred_at, event_id""")) {
            select.setArray(1, connection.createArrayOf("text", orderIds.toArray()));
            Map<String, List<TimelineEvent>> timelines = new LinkedHashMap<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    EventType type = EventType.named(row.getString(2));
                    timelines
                            .computeIfAbsent(row.getString(1), orderId -> new ArrayList<>())
                            .add(new TimelineEvent(
                                    type,
                                    row.getTimestamp(4).toInstant(),
                                    EventUpcaster.upcast(type, row.getInt(3), MAPPER.readTree(row.getString(5)))));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("order_events holds invalid JSON for orders " + orderIds, e);
            }
            return timelines;
        }
    }

    /** Orders after {@code afterOrderId} by id, at most {@code limit}, of that status and customer when given. */
    List<OrderViewReadModel.Summary> summaries(
            Connection connection, OrderStatus status, String customerId, String afterOrderId, int limit)
            throws SQLException {
        String statusName = status == null ? null : status.name();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT order_id, customer_id, status, total, paid, paid_currency, failure_type, last_event_at
                FROM order_view
                WHERE (?::text IS NULL OR status = ?) AND (?::text IS NULL OR customer_id = ?) AND order_id > ?
                ORDER BY order_id LIMIT ?""")) {
            select.setString(1, statusName);
            select.setString(2, statusName);
            select.setString(3, customerId);
            select.setString(4, customerId);
            select.setString(5, afterOrderId);
            select.setInt(6, limit);
            List<OrderViewReadModel.Summary> found = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.add(new OrderViewReadModel.Summary(
                            row.getString(1),
                            row.getString(2),
                            OrderStatus.valueOf(row.getString(3)),
                            row.getBigDecimal(4),
                            row.getBigDecimal(5) == null ? null : new Money(row.getBigDecimal(5), row.getString(6)),
                            row.getString(7),
                            row.getTimestamp(8).toInstant()));
                }
            }
            return found;
        }
    }

    void upsert(Connection connection, List<OrderView> views) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO order_view (order_id, customer_id, status, total, paid, paid_currency, failed_step,
                                        failure_type, failure_reason, event_count, first_event_at, last_event_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (order_id) DO UPDATE SET
                    customer_id = excluded.customer_id, status = excluded.status, total = excluded.total,
                    paid = excluded.paid, paid_currency = excluded.paid_currency,
                    failed_step = excluded.failed_step, failure_type = excluded.failure_type,
                    failure_reason = excluded.failure_reason, event_count = excluded.event_count,
                    first_event_at = excluded.first_event_at, last_event_at = excluded.last_event_at""")) {
            for (OrderView view : views) {
                upsert.setString(1, view.orderId());
                upsert.setString(2, view.customerId());
                upsert.setString(3, view.status().name());
                upsert.setBigDecimal(4, view.total());
                upsert.setBigDecimal(5, view.paid() == null ? null : view.paid().amount());
                upsert.setString(6, view.paid() == null ? null : view.paid().currency());
                upsert.setString(7, view.failedStep());
                upsert.setString(8, view.failureType());
                upsert.setString(9, view.failureReason());
                upsert.setInt(10, view.eventCount());
                upsert.setTimestamp(11, Timestamp.from(view.firstEventAt()));
                upsert.setTimestamp(12, Timestamp.from(view.lastEventAt()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** Forgets everything the projection built, so replaying the topics rebuilds it. */
    void clear(Connection connection, String consumer) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE order_view, order_events");
        }
        try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM processed_events WHERE consumer = ?")) {
            delete.setString(1, consumer);
            delete.executeUpdate();
        }
    }
}
