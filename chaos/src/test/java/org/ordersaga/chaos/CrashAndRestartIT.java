package org.ordersaga.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.Await;
import org.ordersaga.local.KafkaCluster;
import org.ordersaga.local.TemporalServer;

/**
 * Each worker and the API as its own OS process from the packaged jars, on the production Temporal server (its state
 * in PostgreSQL), PostgreSQL and Kafka; two payment replicas. 300 orders of mixed outcomes arrive over HTTP, 25 a
 * second, while the orders worker is killed with SIGKILL, the Temporal server is killed with SIGKILL once at least 100
 * sagas are in flight, both are started again, and the Kafka broker is restarted. Then the chaos run's audit finds
 * nothing: every saga terminal as its order asked, stock and money conserved, nothing charged twice, every event on
 * Kafka as the contract gives it, the order view equal to the sagas.
 */
@Tag("real-temporal")
class CrashAndRestartIT {

    private static final int ORDERS = 300;
    private static final int IN_FLIGHT_AT_SERVER_KILL = 100;
    private static final Duration ARRIVAL_INTERVAL = Duration.ofMillis(40);
    private static final Duration LIMIT = Duration.ofMinutes(3);

    private ChaosStack stack;

    @AfterEach
    void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void threeHundredOrdersSurviveKilledOrdersWorkerAndTemporalServerABrokerRestartAndTwoPaymentReplicas()
            throws Exception {
        stack = CrashTests.start("crash-and-restart", 1);
        Sql sql = new Sql(stack.jdbcUrl());
        Stock.seed(sql, ORDERS);
        Books before = Books.read(sql);
        SagaAudit audit = CrashTests.audit(sql);
        KafkaCluster kafka = stack.engines().kafka();
        TemporalServer server = stack.temporalServer();

        long started = System.nanoTime();
        Arrivals arrivals = Arrivals.start(stack.client(), ORDERS, ARRIVAL_INTERVAL, audit::notAccepted);
        Await.until("a fifth of the orders placed", LIMIT, () -> arrivals.placed() >= ORDERS / 5);
        stack.killWorker("orders");
        double killedAt = CrashTests.secondsSince(started);
        int placedWhenKilled = arrivals.placed();
        // without the orders worker no saga moves on: they pile up in flight
        long[] inFlight = {0};
        Await.until(IN_FLIGHT_AT_SERVER_KILL + " sagas in flight", LIMIT, () -> {
            inFlight[0] = SagaOutcomes.running(stack.temporal());
            return inFlight[0] >= IN_FLIGHT_AT_SERVER_KILL;
        });
        server.kill();
        double serverKilledAt = CrashTests.secondsSince(started);
        Thread.sleep(3_000);
        server.restart();
        double serverBackAt = CrashTests.secondsSince(started);
        stack.startWorker("orders");
        Await.until("half of the orders placed", LIMIT, () -> arrivals.placed() >= ORDERS / 2);
        kafka.stop();
        double brokerStoppedAt = CrashTests.secondsSince(started);
        Thread.sleep(5_000);
        kafka.start();
        double brokerBackAt = CrashTests.secondsSince(started);
        List<PlacedOrder> placed = arrivals.awaitAll(LIMIT);
        double allPlacedAt = CrashTests.secondsSince(started);

        assertTrue(
                stack.awaitSettled(ORDERS, LIMIT),
                "every saga closed, every outbox published and the view complete within " + LIMIT);
        double allClosedAt = CrashTests.secondsSince(started);
        assertEquals(ORDERS, SagaOutcomes.count(stack.temporal(), "ExecutionStatus=\"Completed\""));

        SagaAudit.Result found = audit.audit(stack, placed, before, LIMIT);
        System.out.printf(
                "CrashAndRestartIT: %d orders over HTTP, all placed in %.1f s (the slowest in %.1f s); orders"
                        + " worker SIGKILLed at %.1f s (%d placed); Temporal server SIGKILLed at %.1f s with %d sagas"
                        + " in flight, serving again at %.1f s, then the orders worker restarted; broker stopped at"
                        + " %.1f s, back at %.1f s;"
                        + " everything settled at %.1f s; outcomes %s; %d events on Kafka as %d records; audit %s%n",
                ORDERS,
                allPlacedAt,
                arrivals.slowest().toMillis() / 1e3,
                killedAt,
                placedWhenKilled,
                serverKilledAt,
                inFlight[0],
                serverBackAt,
                brokerStoppedAt,
                brokerBackAt,
                allClosedAt,
                found.outcomes(),
                found.events(),
                found.records(),
                found.violations().counts());
        // an order the API refused is a violation, reported with the API's answer
        CrashTests.assertNoViolations(found);
        assertEquals(ORDERS, placed.size());
        assertTrue(found.events() > 0);

        // the audit is not vacuous: each kind of damage done behind the services' backs is found
        String completedOrder = placed.stream()
                .filter(order -> order.kind() == OrderKind.COMPLETES)
                .findFirst()
                .orElseThrow()
                .orderId();
        sql.execute(
                "payment", "UPDATE accounts SET balance = balance + 1 WHERE customer_id = '" + Stock.CUSTOMER + "'");
        sql.execute("inventory", "UPDATE catalog SET available = available - 1 WHERE sku = '" + Stock.SKU + "'");
        sql.execute(
                "payment",
                "INSERT INTO charges (charge_key, order_id, customer_id, amount, status)" + " VALUES ('again', '"
                        + completedOrder + "', '" + Stock.CUSTOMER + "', 10, 'REFUNDED')");
        sql.execute(
                "order_view", "UPDATE order_view SET status = 'PROCESSING' WHERE order_id = '" + completedOrder + "'");
        Violations damaged =
                CrashTests.audit(sql).audit(stack, placed, before, LIMIT).violations();
        assertEquals(
                Map.of(SagaAudit.MONEY, 1, SagaAudit.UNITS, 1, SagaAudit.CHARGED_TWICE, 1, SagaAudit.VIEW, 1),
                damaged.counts().entrySet().stream()
                        .filter(check -> check.getValue() > 0)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
