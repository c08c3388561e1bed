package org.ordersaga.payment;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** SQL for the payment schema. Every method runs in the caller's transaction. */
final class PaymentRepository {

    record StoredCharge(ChargeStatus status, String customerId, BigDecimal amount, String declineReason) {}

    Optional<StoredCharge> lockCharge(Connection connection, String chargeKey) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT status, customer_id, amount, decline_reason FROM charges WHERE charge_key = ? FOR UPDATE""")) {
            select.setString(1, chargeKey);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new StoredCharge(
                                ChargeStatus.valueOf(row.getString(1)),
                                row.getString(2),
                                row.getBigDecimal(3),
                                row.getString(4)))
                        : Optional.empty();
            }
        }
    }

    /** Debits the balance only if it covers the amount; false when it does not (or the account does not exist). */
    boolean debitIfCovered(Connection connection, String customerId, BigDecimal amount) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE accounts SET balance = balance - ? WHERE customer_id = ? AND balance >= ?""")) {
            update.setBigDecimal(1, amount);
            update.setString(2, customerId);
            update.setBigDecimal(3, amount);
            return update.executeUpdate() == 1;
        }
    }

    void credit(Connection connection, String customerId, BigDecimal amount) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE customer_id = ?")) {
            update.setBigDecimal(1, amount);
            update.setString(2, customerId);
            update.executeUpdate();
        }
    }

    Optional<BigDecimal> balance(Connection connection, String customerId) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT balance FROM accounts WHERE customer_id = ?")) {
            select.setString(1, customerId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getBigDecimal(1)) : Optional.empty();
            }
        }
    }

    boolean accountExists(Connection connection, String customerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM accounts WHERE customer_id = ?")) {
            select.setString(1, customerId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    void insertCharge(Connection connection, ChargeRequest request, ChargeStatus status, String declineReason)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO charges (charge_key, order_id, customer_id, amount, status, decline_reason)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, request.idempotencyKey());
            insert.setString(2, request.orderId());
            insert.setString(3, request.customerId());
            insert.setBigDecimal(4, request.amount());
            insert.setString(5, status.name());
            insert.setString(6, declineReason);
            insert.executeUpdate();
        }
    }

    /** Records that the charge was voided before it happened; false when a row for the key already exists. */
    boolean insertTombstone(Connection connection, String chargeKey, String orderId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO charges (charge_key, order_id, status) VALUES (?, ?, 'VOIDED')
                ON CONFLICT (charge_key) DO NOTHING""")) {
            insert.setString(1, chargeKey);
            insert.setString(2, orderId);
            return insert.executeUpdate() == 1;
        }
    }

    void markRefunded(Connection connection, String chargeKey) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE charges SET status = 'REFUNDED', updated_at = now() WHERE charge_key = ?")) {
            update.setString(1, chargeKey);
            update.executeUpdate();
        }
    }
}
