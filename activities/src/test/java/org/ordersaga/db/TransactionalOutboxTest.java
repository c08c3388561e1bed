package org.ordersaga.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ordersaga.payment.ChargeRequest;
import org.ordersaga.payment.PaymentActivitiesImpl;

/**
 * A state change and its event commit together or not at all. Each test sabotages one write of the transaction
 * with a trigger, in the database itself, and checks that nothing of it remains.
 */
class TransactionalOutboxTest {

    private TestDatabases databases;
    private DataSource payment;
    private PaymentActivitiesImpl activities;

    @BeforeEach
    void migrate() {
        databases = TestDatabases.create();
        payment = databases.dataSource(ServiceSchema.PAYMENT);
        activities = new PaymentActivitiesImpl(payment);
        databases.execute(ServiceSchema.PAYMENT, """
                CREATE FUNCTION sabotage() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'sabotaged %', TG_TABLE_NAME; END $$""");
    }

    @AfterEach
    void close() {
        databases.close();
    }

    private void chargeFails(String orderId) {
        ChargeRequest request =
                new ChargeRequest("order-" + orderId + ":CHARGE_PAYMENT", orderId, "cust-ok", new BigDecimal("100.00"));
        DataAccessException failure = assertThrows(DataAccessException.class, () -> activities.charge(request));
        assertTrue(failure.getMessage().contains("sabotaged"), failure.getMessage());
    }

    private void assertNothingHappened(String orderId) {
        assertEquals(new BigDecimal("1000000.00"), Queries.balance(payment, "cust-ok"));
        assertEquals(List.of(), Queries.strings(payment, "SELECT status FROM charges WHERE order_id = ?", orderId));
        assertEquals(List.of(), Queries.eventTypes(payment, orderId));
    }

    @Test
    void noStateWithoutEvent() {
        databases.execute(
                ServiceSchema.PAYMENT,
                "CREATE TRIGGER fail_event BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION sabotage()");
        chargeFails("t1");
        assertNothingHappened("t1");
    }

    @Test
    void noEventWithoutState() {
        databases.execute(
                ServiceSchema.PAYMENT,
                "CREATE TRIGGER fail_state BEFORE INSERT ON charges FOR EACH ROW EXECUTE FUNCTION sabotage()");
        chargeFails("t2");
        assertNothingHappened("t2");
    }

    @Test
    void neitherWhenTheCommitItselfFails() {
        databases.execute(ServiceSchema.PAYMENT, """
                CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON outbox
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sabotage()""");
        chargeFails("t3");
        assertNothingHappened("t3");
    }
}
