package org.ordersaga.inventory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for the inventory schema. Every method runs in the caller's transaction. */
final class InventoryRepository {

    record StoredReservation(ReservationStatus status, String rejectionType, String rejectionReason) {}

    record Stock(String sku, BigDecimal unitPrice, int available) {}

    /** A catalog entry's stock: available to reserve, and held by active reservations. */
    Optional<InventoryReadModel.StockLevel> stockLevel(Connection connection, String sku) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT c.unit_price, c.available, coalesce(sum(l.quantity) FILTER (WHERE r.status = 'ACTIVE'), 0)
                FROM catalog c
                LEFT JOIN reservation_lines l ON l.sku = c.sku
                LEFT JOIN reservations r ON r.reservation_key = l.reservation_key
                WHERE c.sku = ? GROUP BY c.unit_price, c.available""")) {
            select.setString(1, sku);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new InventoryReadModel.StockLevel(
                                sku, row.getBigDecimal(1), row.getInt(2), row.getInt(3)))
                        : Optional.empty();
            }
        }
    }

    Optional<StoredReservation> lockReservation(Connection connection, String reservationKey) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT status, rejection_type, rejection_reason FROM reservations
                WHERE reservation_key = ? FOR UPDATE""")) {
            select.setString(1, reservationKey);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new StoredReservation(
                                ReservationStatus.valueOf(row.getString(1)), row.getString(2), row.getString(3)))
                        : Optional.empty();
            }
        }
    }

    List<ReservedLine> lines(Connection connection, String reservationKey) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT sku, quantity, unit_price FROM reservation_lines WHERE reservation_key = ? ORDER BY sku""")) {
            select.setString(1, reservationKey);
            List<ReservedLine> lines = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    lines.add(new ReservedLine(row.getString(1), row.getInt(2), row.getBigDecimal(3)));
                }
            }
            return lines;
        }
    }

    /** Locks the catalog rows in sku order, so concurrent reservations never deadlock. Unknown skus are absent. */
    Map<String, Stock> lockStock(Connection connection, Collection<String> skus) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT sku, unit_price, available FROM catalog WHERE sku = ANY (?) ORDER BY sku FOR UPDATE""")) {
            select.setArray(1, connection.createArrayOf("text", skus.toArray()));
            Map<String, Stock> stock = new LinkedHashMap<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    stock.put(row.getString(1), new Stock(row.getString(1), row.getBigDecimal(2), row.getInt(3)));
                }
            }
            return stock;
        }
    }

    /** Adds {@code sign * quantity} of each line to the available stock. */
    void adjustStock(Connection connection, List<ReservedLine> lines, int sign) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE catalog SET available = available + ? WHERE sku = ?")) {
            for (ReservedLine line : lines) {
                update.setInt(1, sign * line.quantity());
                update.setString(2, line.sku());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    void insertReservation(Connection connection, String reservationKey, String orderId, List<ReservedLine> lines)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO reservations (reservation_key, order_id, status) VALUES (?, ?, 'ACTIVE')""")) {
            insert.setString(1, reservationKey);
            insert.setString(2, orderId);
            insert.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO reservation_lines (reservation_key, sku, quantity, unit_price) VALUES (?, ?, ?, ?)""")) {
            for (ReservedLine line : lines) {
                insert.setString(1, reservationKey);
                insert.setString(2, line.sku());
                insert.setInt(3, line.quantity());
                insert.setBigDecimal(4, line.unitPrice());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    void insertRejection(Connection connection, String reservationKey, String orderId, String type, String reason)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO reservations (reservation_key, order_id, status, rejection_type, rejection_reason)
                VALUES (?, ?, 'REJECTED', ?, ?)""")) {
            insert.setString(1, reservationKey);
            insert.setString(2, orderId);
            insert.setString(3, type);
            insert.setString(4, reason);
            insert.executeUpdate();
        }
    }

    /** Records that the reservation was voided before it happened; false when a row for the key already exists. */
    boolean insertTombstone(Connection connection, String reservationKey, String orderId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO reservations (reservation_key, order_id, status) VALUES (?, ?, 'VOIDED')
                ON CONFLICT (reservation_key) DO NOTHING""")) {
            insert.setString(1, reservationKey);
            insert.setString(2, orderId);
            return insert.executeUpdate() == 1;
        }
    }

    void markReleased(Connection connection, String reservationKey) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE reservations SET status = 'RELEASED', updated_at = now() WHERE reservation_key = ?""")) {
            update.setString(1, reservationKey);
            update.executeUpdate();
        }
    }
}
