package org.ordersaga.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ordersaga.outbox.OutboxRows.count;

import java.sql.Connection;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;

class OutboxRetentionTest {

    private TestDatabases databases;
    private DataSource payment;

    @BeforeEach
    void migrate() {
        databases = TestDatabases.create();
        payment = databases.dataSource(ServiceSchema.PAYMENT);
    }

    @AfterEach
    void close() {
        databases.close();
    }

    @Test
    void deletesOnlyRowsPublishedLongerAgoThanTheRetentionAndAtMostABatch() throws Exception {
        OutboxRows.write(payment, "r-", 10, 30);
        databases.execute(ServiceSchema.PAYMENT, """
                UPDATE outbox SET published_at = now() - interval '8 days' WHERE seq % 3 = 0""");
        databases.execute(ServiceSchema.PAYMENT, """
                UPDATE outbox SET published_at = now() - interval '1 day' WHERE seq % 3 = 1""");
        OutboxRepository repository = new OutboxRepository();

        try (Connection connection = payment.getConnection()) {
            assertEquals(60, repository.deletePublished(connection, Duration.ofDays(7), 60));
            assertEquals(40, repository.deletePublished(connection, Duration.ofDays(7), 60));
            assertEquals(0, repository.deletePublished(connection, Duration.ofDays(7), 60));
        }
        assertEquals(100, count(payment, "published_at IS NULL"), "unpublished rows stay");
        assertEquals(100, count(payment, "published_at IS NOT NULL"), "recently published rows stay");
    }
}
