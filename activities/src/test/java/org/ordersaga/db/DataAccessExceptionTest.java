package org.ordersaga.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ordersaga.db.DataAccessException.Kind;
import org.ordersaga.local.Ports;

/** Real PostgreSQL failures, classified by what another try can do about them. */
class DataAccessExceptionTest {

    private static TestDatabases databases;

    @BeforeAll
    static void start() {
        databases = TestDatabases.create();
    }

    @AfterAll
    static void stop() {
        databases.close();
    }

    private static Kind kindOf(String sql) {
        Transactions payment = new Transactions(databases.dataSource(ServiceSchema.PAYMENT));
        return assertThrows(
                        DataAccessException.class,
                        () -> payment.inTransaction(connection -> {
                            connection.createStatement().execute(sql);
                            return null;
                        }))
                .kind();
    }

    @Test
    void dataThePostgresCannotStoreIsADataError() {
        assertEquals(Kind.DATA, kindOf("SELECT convert_from('\\x00'::bytea, 'UTF8')"));
        assertEquals(Kind.DATA, kindOf("SELECT 1 / 0"));
        assertEquals(Kind.DATA, kindOf("INSERT INTO accounts (customer_id, balance) VALUES (NULL, 1)"));
        assertEquals(Kind.DATA, kindOf("INSERT INTO accounts VALUES ('cust-ok', 1), ('cust-ok', 2)"));
    }

    @Test
    void twoAttemptsRacingForOneIdempotencyKeyAreTransient() {
        assertEquals(Kind.TRANSIENT, kindOf("""
                INSERT INTO charges (charge_key, order_id, status) VALUES ('k', 'o', 'VOIDED'), ('k', 'o', 'VOIDED')"""));
    }

    @Test
    void anUnreachableDatabaseIsUnavailable() {
        SQLException refused = assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + Ports.free() + "/none"));
        assertEquals(Kind.UNAVAILABLE, new DataAccessException(refused).kind());
        assertEquals(Kind.TRANSIENT, new DataAccessException(new SQLException("deadlock", "40P01")).kind());
    }
}
