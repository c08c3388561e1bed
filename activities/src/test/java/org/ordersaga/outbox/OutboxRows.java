package org.ordersaga.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.ordersaga.db.DataAccessException;
import org.ordersaga.db.Queries;
import org.ordersaga.saga.SagaService;

/** Writes synthetic events through the real outbox writer, and counts outbox rows. */
final class OutboxRows {

    /** A synthetic event: the {@code n}th of its order. */
    record Numbered(String orderId, int n) implements DomainEvent {}

    private OutboxRows() {}

    /** {@code orders} orders with {@code perOrder} events each, interleaved, 100 rows per transaction. */
    static void write(DataSource dataSource, String prefix, int orders, int perOrder) {
        OutboxWriter writer = new OutboxWriter(SagaService.INVENTORY);
        int total = orders * perOrder;
        for (int start = 0; start < total; start += 100) {
            int from = start;
            inTransaction(dataSource, connection -> {
                for (int i = from; i < Math.min(from + 100, total); i++) {
                    writer.append(connection, new Numbered(prefix + (i % orders), i / orders));
                }
            });
        }
    }

    interface Work {
        void run(Connection connection) throws SQLException;
    }

    static void inTransaction(DataSource dataSource, Work work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            work.run(connection);
            connection.commit();
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    static int count(DataSource dataSource, String condition) {
        return Queries.number(dataSource, "SELECT count(*) FROM outbox WHERE " + condition)
                .intValueExact();
    }
}
