package org.ordersaga.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ordersaga.db.Queries;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.saga.FailureTypes;

class PaymentActivitiesTest {

    private static TestDatabases databases;
    private static DataSource payment;
    private static PaymentActivitiesImpl activities;

    @BeforeAll
    static void migrate() {
        databases = TestDatabases.create();
        payment = databases.dataSource(ServiceSchema.PAYMENT);
        activities = new PaymentActivitiesImpl(payment);
    }

    @AfterAll
    static void close() {
        databases.close();
    }

    private static void account(String customerId, String balance) {
        databases.execute(ServiceSchema.PAYMENT, "INSERT INTO accounts VALUES ('" + customerId + "', " + balance + ")");
    }

    private static ChargeRequest charge(String orderId, String customerId, String amount) {
        return new ChargeRequest("order-" + orderId + ":CHARGE_PAYMENT", orderId, customerId, new BigDecimal(amount));
    }

    @Test
    void chargesOnceEvenWhenRepeated() {
        account("cust-a", "100.00");
        ChargeRequest request = charge("p1", "cust-a", "30.25");

        Charge first = activities.charge(request);
        Charge repeated = activities.charge(request);

        assertEquals(first, repeated);
        assertEquals(new BigDecimal("69.75"), Queries.balance(payment, "cust-a"));
        assertEquals(List.of("PaymentCharged"), Queries.eventTypes(payment, "p1"));
    }

    @Test
    void declinesAShortBalanceOnceAndTheRepeatGetsTheSameAnswer() {
        ChargeRequest request = charge("p2", "cust-poor", "250.00");

        ApplicationFailure first = assertThrows(ApplicationFailure.class, () -> activities.charge(request));
        ApplicationFailure repeated = assertThrows(ApplicationFailure.class, () -> activities.charge(request));

        assertEquals(FailureTypes.PAYMENT_DECLINED, first.getType());
        assertTrue(first.isNonRetryable());
        assertEquals("insufficient funds for 250.00", first.getOriginalMessage());
        assertEquals(first.getOriginalMessage(), repeated.getOriginalMessage());
        assertEquals(new BigDecimal("1.00"), Queries.balance(payment, "cust-poor"));
        assertEquals(List.of("PaymentDeclined"), Queries.eventTypes(payment, "p2"));
    }

    @Test
    void declinesACustomerWithoutAccount() {
        ApplicationFailure failure =
                assertThrows(ApplicationFailure.class, () -> activities.charge(charge("p3", "cust-nobody", "1.00")));

        assertEquals(FailureTypes.PAYMENT_DECLINED, failure.getType());
        assertEquals("no account for customer cust-nobody", failure.getOriginalMessage());
    }

    @Test
    void refundCreditsBackExactlyWhatWasChargedOnce() {
        account("cust-b", "50.00");
        ChargeRequest request = charge("p4", "cust-b", "49.99");
        activities.charge(request);

        RefundRequest refund = new RefundRequest(request.idempotencyKey(), "p4");
        activities.refund(refund);
        activities.refund(refund);

        assertEquals(new BigDecimal("50.00"), Queries.balance(payment, "cust-b"));
        assertEquals(List.of("PaymentCharged", "PaymentRefunded"), Queries.eventTypes(payment, "p4"));
        assertEquals(new BigDecimal("49.99"), Queries.number(payment, """
                SELECT (payload->'refunded'->>'amount')::numeric FROM outbox
                WHERE aggregateid = ? AND type = 'PaymentRefunded'""", "p4"));
        assertEquals(List.of("EUR"), Queries.strings(payment, """
                SELECT payload->'refunded'->>'currency' FROM outbox WHERE aggregateid = ? AND type = 'PaymentRefunded'""", "p4"));
    }

    @Test
    void refundOfADeclinedChargeIsANoOp() {
        ChargeRequest request = charge("p5", "cust-poor", "5.00");
        assertThrows(ApplicationFailure.class, () -> activities.charge(request));

        activities.refund(new RefundRequest(request.idempotencyKey(), "p5"));

        assertEquals(new BigDecimal("1.00"), Queries.balance(payment, "cust-poor"));
        assertEquals(List.of("PaymentDeclined"), Queries.eventTypes(payment, "p5"));
    }

    @Test
    void refundBeforeChargeIsANoOpThatStopsALateCharge() {
        account("cust-c", "10.00");
        ChargeRequest request = charge("p6", "cust-c", "4.00");

        activities.refund(new RefundRequest(request.idempotencyKey(), "p6"));
        ApplicationFailure late = assertThrows(ApplicationFailure.class, () -> activities.charge(request));

        assertEquals(FailureTypes.ALREADY_COMPENSATED, late.getType());
        assertEquals(new BigDecimal("10.00"), Queries.balance(payment, "cust-c"));
        assertEquals(List.of(), Queries.eventTypes(payment, "p6"));
    }

    @Test
    void theStatesTheCodeKnowsAreExactlyTheOnesTheTableAllows() {
        assertEquals(Queries.allowedStatuses(payment, "charges"), Queries.names(ChargeStatus.class));
    }
}
