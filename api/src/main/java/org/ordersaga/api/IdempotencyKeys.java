package org.ordersaga.api;

import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.ordersaga.db.Transactions;
import org.ordersaga.saga.OrderRequest;

/** Remembers which order a caller's {@code Idempotency-Key} stands for, and for which request body. */
@Singleton
class IdempotencyKeys {

    private final Transactions transactions;

    IdempotencyKeys(@Named("api") DataSource api) {
        this.transactions = new Transactions(api);
    }

    /**
     * The order id the caller's key stands for: {@code newOrderId} the first time, the stored one after. A key reused
     * with a different request is a {@link ApiFailures.Conflict}; another caller's equal key is another key.
     */
    String orderIdFor(Caller caller, String key, OrderRequest request, String newOrderId) {
        String hash = hash(request);
        String[] stored = transactions.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO idempotency_keys (principal, idempotency_key, request_hash, order_id)
                    VALUES (?, ?, ?, ?)
                    ON CONFLICT (principal, idempotency_key) DO NOTHING""")) {
                insert.setString(1, caller.subject());
                insert.setString(2, key);
                insert.setString(3, hash);
                insert.setString(4, newOrderId);
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT request_hash, order_id FROM idempotency_keys WHERE principal = ? AND idempotency_key = ?")) {
                select.setString(1, caller.subject());
                select.setString(2, key);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return new String[] {row.getString(1), row.getString(2)};
                }
            }
        });
        if (!stored[0].equals(hash)) {
            throw new ApiFailures.Conflict("Idempotency-Key " + key + " was already used with a different request");
        }
        return stored[1];
    }

    /** The request without its order id: what the client sent. */
    private static String hash(OrderRequest request) {
        String canonical =
                new OrderRequest(null, request.customerId(), request.items(), request.shippingAddress()).toString();
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
