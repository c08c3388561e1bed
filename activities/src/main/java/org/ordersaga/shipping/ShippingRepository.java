package org.ordersaga.shipping;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.ordersaga.db.Json;

/** SQL for the shipping schema. Every method runs in the caller's transaction. */
final class ShippingRepository {

    record StoredShipment(ShipmentStatus status, String trackingNumber, String rejectionReason) {}

    Optional<StoredShipment> lockShipment(Connection connection, String shipmentKey) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT status, tracking_number, rejection_reason FROM shipments WHERE shipment_key = ? FOR UPDATE""")) {
            select.setString(1, shipmentKey);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new StoredShipment(
                                ShipmentStatus.valueOf(row.getString(1)), row.getString(2), row.getString(3)))
                        : Optional.empty();
            }
        }
    }

    void insertShipment(
            Connection connection,
            ShipmentRequest request,
            ShipmentStatus status,
            String trackingNumber,
            String rejectionReason)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO shipments (shipment_key, order_id, status, address, items, tracking_number,
                                       rejection_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, request.idempotencyKey());
            insert.setString(2, request.orderId());
            insert.setString(3, status.name());
            insert.setObject(4, Json.jsonb(request.address()));
            insert.setObject(5, Json.jsonb(request.items()));
            insert.setString(6, trackingNumber);
            insert.setString(7, rejectionReason);
            insert.executeUpdate();
        }
    }

    /** Records that the shipment was voided before it happened; false when a row for the key already exists. */
    boolean insertTombstone(Connection connection, String shipmentKey, String orderId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO shipments (shipment_key, order_id, status) VALUES (?, ?, 'VOIDED')
                ON CONFLICT (shipment_key) DO NOTHING""")) {
            insert.setString(1, shipmentKey);
            insert.setString(2, orderId);
            return insert.executeUpdate() == 1;
        }
    }

    void markCancelled(Connection connection, String shipmentKey) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE shipments SET status = 'CANCELLED', updated_at = now() WHERE shipment_key = ?")) {
            update.setString(1, shipmentKey);
            update.executeUpdate();
        }
    }
}
