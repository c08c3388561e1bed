package org.ordersaga.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.ordersaga.db.Json;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.SagaFailure;

/** SQL for the orders schema. Every method runs in the caller's transaction. */
final class OrderRepository {

    /** False when the order already exists. */
    boolean insertPlaced(Connection connection, OrderRequest order) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO orders (order_id, customer_id, status, items, shipping_address)
                VALUES (?, ?, 'PLACED', ?, ?)
                ON CONFLICT (order_id) DO NOTHING""")) {
            insert.setString(1, order.orderId());
            insert.setString(2, order.customerId());
            insert.setObject(3, Json.jsonb(order.items()));
            insert.setObject(4, Json.jsonb(order.shippingAddress()));
            return insert.executeUpdate() == 1;
        }
    }

    /** The customer of the order that moved from PLACED to COMPLETED; empty when it was not PLACED. */
    Optional<String> markCompleted(Connection connection, CompletedOrder order) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE orders SET status = 'COMPLETED', total = ?, shipment_key = ?, updated_at = now()
                WHERE order_id = ? AND status = 'PLACED'
                RETURNING customer_id""")) {
            update.setBigDecimal(1, order.total());
            update.setString(2, order.shipmentKey());
            update.setString(3, order.orderId());
            try (ResultSet row = update.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    /** Moves a PLACED order (or one never recorded) to COMPENSATED; false when it was already past PLACED. */
    boolean markCompensated(Connection connection, OrderRequest order, SagaFailure failure) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO orders (order_id, customer_id, status, items, shipping_address,
                                    failed_step, failure_type, failure_reason)
                VALUES (?, ?, 'COMPENSATED', ?, ?, ?, ?, ?)
                ON CONFLICT (order_id) DO UPDATE
                    SET status = 'COMPENSATED', failed_step = excluded.failed_step,
                        failure_type = excluded.failure_type, failure_reason = excluded.failure_reason,
                        updated_at = now()
                    WHERE orders.status = 'PLACED'""")) {
            upsert.setString(1, order.orderId());
            upsert.setString(2, order.customerId());
            upsert.setObject(3, Json.jsonb(order.items()));
            upsert.setObject(4, Json.jsonb(order.shippingAddress()));
            upsert.setString(5, failure.step() == null ? null : failure.step().name());
            upsert.setString(6, failure.type());
            upsert.setString(7, failure.message());
            return upsert.executeUpdate() == 1;
        }
    }

    Optional<OrderRecordStatus> status(Connection connection, String orderId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT status FROM orders WHERE order_id = ?")) {
            select.setString(1, orderId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(OrderRecordStatus.valueOf(row.getString(1))) : Optional.empty();
            }
        }
    }
}
