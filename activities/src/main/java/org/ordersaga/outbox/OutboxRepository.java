package org.ordersaga.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The relay's SQL on one service's outbox, on the relay's own connection (autocommit). */
final class OutboxRepository {

    /** Up to {@code limit} pending rows in {@code seq} order, leaving out those sent and not yet marked. */
    List<OutboxRow> pending(Connection connection, int limit, List<OutboxRow> inFlight) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT seq, id, aggregatetype, aggregateid, type, payload::text, schema_version, correlation_id,
                       created_at, traceparent
                FROM outbox WHERE published_at IS NULL AND parked_at IS NULL AND seq <> ALL (?)
                ORDER BY seq LIMIT ?""")) {
            select.setArray(
                    1,
                    connection.createArrayOf(
                            "bigint", inFlight.stream().map(OutboxRow::seq).toArray()));
            select.setInt(2, limit);
            List<OutboxRow> rows = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(new OutboxRow(
                            row.getLong(1),
                            row.getObject(2, UUID.class),
                            row.getString(3),
                            row.getString(4),
                            row.getString(5),
                            row.getString(6),
                            row.getInt(7),
                            row.getString(8),
                            row.getTimestamp(9).toInstant(),
                            row.getString(10)));
                }
            }
            return rows;
        }
    }

    /** The rows waiting to be published (parked ones left out), and how long the oldest of them has waited. */
    record Backlog(long rows, double oldestAgeSeconds) {}

    Backlog backlog(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                        SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)
                        FROM outbox WHERE published_at IS NULL AND parked_at IS NULL""");
                ResultSet row = select.executeQuery()) {
            row.next();
            return new Backlog(row.getLong(1), row.getDouble(2));
        }
    }

    /** Marks rows by {@code seq}: a batch's rows are neighbours in its index, where their random ids are not. */
    void markPublished(Connection connection, Collection<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL
                WHERE seq = ANY (?)""")) {
            update.setArray(1, connection.createArrayOf("bigint", seqs.toArray()));
            update.executeUpdate();
        }
    }

    void recordFailure(Connection connection, UUID id, String error, boolean park) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE outbox SET attempts = attempts + 1, last_error = ?,
                                  parked_at = CASE WHEN ? THEN now() END
                WHERE id = ?""")) {
            update.setString(1, error);
            update.setBoolean(2, park);
            update.setObject(3, id);
            update.executeUpdate();
        }
    }

    /** Deletes up to {@code limit} rows published longer ago than {@code age}; returns how many. */
    int deletePublished(Connection connection, Duration age, int limit) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("""
                DELETE FROM outbox WHERE id IN (
                    SELECT id FROM outbox WHERE published_at < now() - make_interval(secs => ?) LIMIT ?)""")) {
            delete.setDouble(1, age.toMillis() / 1000.0);
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }

    /** A session lock per outbox: held while the relay's connection lives, released when it dies. */
    boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT pg_try_advisory_lock(hashtextextended('order-saga outbox relay ' || current_schema(), 0))");
                ResultSet row = lock.executeQuery()) {
            row.next();
            return row.getBoolean(1);
        }
    }

    void listen(Connection connection, String channel) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("LISTEN " + channel);
        }
    }

    void unlisten(Connection connection, String channel) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("UNLISTEN " + channel);
        }
    }

    /**
     * Hands the connection back as it was borrowed: no lock, no subscription. If this fails the connection is broken,
     * its session is gone with its lock, and the pool discards it.
     */
    void endSession(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
            statement.execute("SELECT pg_advisory_unlock_all()");
        }
    }
}
