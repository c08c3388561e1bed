package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.Await;
import org.ordersaga.RealTemporal;
import org.ordersaga.local.ChildProcess;
import org.ordersaga.local.KafkaBroker;
import org.ordersaga.local.LocalEngines;
import org.ordersaga.local.LocalPostgres;
import org.ordersaga.local.LocalTemporal;
import org.ordersaga.local.OrdersClient;
import org.ordersaga.local.Ports;
import org.ordersaga.local.SagaProcesses;
import org.ordersaga.local.TemporalServer;
import org.ordersaga.outbox.EventsDoc;

/**
 * Each worker and the API as its own OS process from the packaged jars, on the production Temporal server (its state
 * in PostgreSQL), PostgreSQL and Kafka; two payment replicas. 500 orders of mixed outcomes arrive over HTTP, 25 a
 * second, while the orders worker is killed with SIGKILL, the Temporal server is killed with SIGKILL once at least 100
 * sagas are in flight, both are started again, and the Kafka broker is restarted. Then every saga is terminal, stock
 * and money are conserved, nothing is charged twice, no compensation is missing, and every event is on Kafka.
 */
@Tag("real-temporal")
class CrashAndRestartIT {

    private static final int ORDERS = 500;
    private static final int IN_FLIGHT_AT_SERVER_KILL = 100;
    private static final String DATABASE = "ordersaga";
    private static final Duration ARRIVAL_INTERVAL = Duration.ofMillis(40);
    private static final Duration LIMIT = Duration.ofMinutes(3);

    private final Started launched = new Started();

    /** What an order was placed to show, and the outcome that makes it right. */
    private enum Kind {
        COMPLETES("completed"),
        DECLINED("payment declined"),
        OUT_OF_STOCK("out of stock / unknown sku"),
        UNSERVICEABLE("address unserviceable"),
        CANCELLED(null);

        final String documentedOutcome;

        Kind(String documentedOutcome) {
            this.documentedOutcome = documentedOutcome;
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        launched.close();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void fiveHundredOrdersSurviveKilledOrdersWorkerAndTemporalServerABrokerRestartAndTwoPaymentReplicas()
            throws Exception {
        Optional<Path> cli = LocalTemporal.findCli();
        Optional<Path> serverHome = LocalTemporal.findServerHome();
        RealTemporal.require(cli.isPresent() && serverHome.isPresent());
        LocalEngines engines = new LocalEngines(Path.of("target", "crash-and-restart"), DATABASE);
        launched.other(engines);
        engines.start(
                LocalEngines.EnginePorts.ANY,
                new LocalTemporal.Choice.ProductionServer(serverHome.orElseThrow(), cli.orElseThrow()),
                progress -> {});
        LocalPostgres postgres = engines.postgres();
        KafkaBroker kafka = engines.kafka();
        LocalTemporal temporal = engines.temporal();
        TemporalServer server = temporal.productionServer().orElseThrow();
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporal.target())
                .build());
        launched.other(stubs::shutdown);
        SagaProcesses saga =
                engines.processes(Path.of(System.getProperty("worker.jar")), Path.of(System.getProperty("api.jar")));
        ChildProcess ordersWorker = launched.process(saga.worker("orders", "orders"));
        for (String instance : List.of("inventory", "payment-1", "payment-2", "shipping")) {
            launched.process(saga.worker(instance.replaceAll("-\\d", ""), instance));
        }
        int apiPort = Ports.free();
        ChildProcess api = launched.process(saga.api(apiPort));
        SagaProcesses.awaitHealthy(api, "http://127.0.0.1:" + apiPort);
        OrdersClient orders = new OrdersClient(
                "http://127.0.0.1:" + apiPort, engines.identity().issuer().token("ops", true, Duration.ofHours(1)));

        Map<String, Kind> placed = new ConcurrentHashMap<>();
        Map<String, Boolean> cancelAccepted = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        // enough clients that those repeating a cancel while the sagas stall keep no order from arriving
        ExecutorService clients = Executors.newFixedThreadPool(32);
        List<Future<?>> requests = new ArrayList<>();
        Thread arrivals = new Thread(
                () -> {
                    for (int i = 0; i < ORDERS; i++) {
                        Kind kind = switch (i % 10) {
                            case 6 -> Kind.DECLINED;
                            case 7 -> Kind.OUT_OF_STOCK;
                            case 8 -> Kind.UNSERVICEABLE;
                            case 9 -> Kind.CANCELLED;
                            default -> Kind.COMPLETES;
                        };
                        int quantity = 1 + i % 3;
                        requests.add(clients.submit(() -> {
                            String orderId = switch (kind) {
                                case DECLINED -> orders.placeIdempotently("cust-poor", "sku-100", quantity, "GB");
                                case OUT_OF_STOCK -> orders.placeIdempotently("cust-ok", "sku-out", quantity, "GB");
                                case UNSERVICEABLE -> orders.placeIdempotently("cust-ok", "sku-100", quantity, "XX");
                                default -> orders.placeIdempotently("cust-ok", "sku-100", quantity, "GB");
                            };
                            placed.put(orderId, kind);
                            if (kind == Kind.CANCELLED) {
                                cancelAccepted.put(orderId, orders.cancel(orderId, "changed my mind"));
                            }
                        }));
                        LockSupport.parkNanos(ARRIVAL_INTERVAL.toNanos());
                    }
                },
                "arrivals");
        arrivals.start();
        Await.until("a fifth of the orders placed", LIMIT, () -> placed.size() >= ORDERS / 5);
        ordersWorker.kill();
        double killedAt = seconds(started);
        int placedWhenKilled = placed.size();
        // without the orders worker no saga moves on: they pile up in flight
        long[] inFlight = {0};
        Await.until(IN_FLIGHT_AT_SERVER_KILL + " sagas in flight", LIMIT, () -> {
            inFlight[0] = count(stubs, "ExecutionStatus=\"Running\"");
            return inFlight[0] >= IN_FLIGHT_AT_SERVER_KILL;
        });
        server.kill();
        double serverKilledAt = seconds(started);
        Thread.sleep(3_000);
        server.restart();
        double serverBackAt = seconds(started);
        launched.process(saga.worker("orders", "orders"));
        Await.until("half of the orders placed", LIMIT, () -> placed.size() >= ORDERS / 2);
        kafka.stop();
        double brokerStoppedAt = seconds(started);
        Thread.sleep(5_000);
        kafka.start();
        double brokerBackAt = seconds(started);
        arrivals.join(LIMIT.toMillis());
        for (Future<?> request : requests) {
            request.get(2, TimeUnit.MINUTES);
        }
        clients.shutdown();
        double allPlacedAt = seconds(started);

        Await.until(
                "every saga closed",
                LIMIT,
                () -> count(stubs, "ExecutionStatus=\"Running\"") == 0
                        && count(stubs, "ExecutionStatus=\"Completed\"") == ORDERS);
        double allClosedAt = seconds(started);
        Map<String, String> outboxTotals = new TreeMap<>();
        for (String schema : List.of("orders", "inventory", "payment", "shipping")) {
            Await.until(
                    schema + " outbox published",
                    LIMIT,
                    () -> number(postgres, schema, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
                                    .intValue()
                            == 0);
            outboxTotals.put(
                    schema,
                    number(postgres, schema, "SELECT count(*) FROM outbox").toString());
        }

        Map<String, String> statuses = new HashMap<>();
        Map<String, String> failures = new HashMap<>();
        for (String orderId : placed.keySet()) {
            var order = orders.get("/orders/" + orderId);
            statuses.put(orderId, order.path("status").asText());
            failures.put(orderId, order.path("failure").path("type").asText(""));
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        placed.forEach((orderId, kind) -> {
            if (kind == Kind.CANCELLED) {
                // refused as too late, it may still have been cancelled by a try whose answer was a 503
                assertTrue(
                        cancelAccepted.get(orderId)
                                ? failures.get(orderId).equals("OrderCancelled")
                                : statuses.get(orderId).equals("COMPLETED")
                                        || failures.get(orderId).equals("OrderCancelled"),
                        orderId + " " + statuses.get(orderId) + " " + failures.get(orderId));
            } else {
                assertEquals(
                        kind == Kind.COMPLETES ? "COMPLETED" : "COMPENSATED",
                        statuses.get(orderId),
                        kind + " " + orderId);
            }
            outcomes.merge(
                    statuses.get(orderId) + (failures.get(orderId).isEmpty() ? "" : "/" + failures.get(orderId)),
                    1,
                    Integer::sum);
        });

        Set<String> completed = new HashSet<>();
        statuses.forEach((orderId, status) -> {
            if (status.equals("COMPLETED")) {
                completed.add(orderId);
            }
        });
        assertEquals(1000, number(postgres, "inventory", """
                SELECT c.available + coalesce(sum(l.quantity) FILTER (WHERE r.status = 'ACTIVE'), 0)
                FROM catalog c LEFT JOIN reservation_lines l ON l.sku = c.sku
                LEFT JOIN reservations r ON r.reservation_key = l.reservation_key
                WHERE c.sku = 'sku-100' GROUP BY c.available""").intValue(), "sku-100: available + held = stock");
        assertEquals(
                completed,
                strings(postgres, "inventory", "SELECT order_id FROM reservations" + " WHERE status = 'ACTIVE'"),
                "stock is held by exactly the completed orders");
        assertEquals(
                completed,
                strings(postgres, "payment", "SELECT order_id FROM charges WHERE status = 'CHARGED'"),
                "money is kept for exactly the completed orders");
        BigDecimal charged =
                number(postgres, "payment", "SELECT coalesce(sum(amount), 0) FROM charges WHERE status = 'CHARGED'");
        assertEquals(
                0,
                new BigDecimal("1000000.00")
                        .subtract(charged)
                        .compareTo(number(
                                postgres, "payment", "SELECT balance FROM accounts WHERE customer_id = 'cust-ok'")),
                "cust-ok's balance");
        assertEquals(
                0,
                new BigDecimal("1.00")
                        .compareTo(number(
                                postgres, "payment", "SELECT balance FROM accounts WHERE customer_id = 'cust-poor'")),
                "cust-poor's balance");

        int outboxEvents =
                outboxTotals.values().stream().mapToInt(Integer::parseInt).sum();
        PublishedEvents published =
                PublishedEvents.read(kafka.bootstrapServers(), placed.keySet(), outboxEvents, LIMIT);
        assertEquals(outboxEvents, published.eventIds().size(), "every event written is on Kafka");
        Map<String, Map<String, List<String>>> documented = EventsDoc.sequences();
        int doubleCharges = 0;
        for (Map.Entry<String, Kind> order : placed.entrySet()) {
            Map<String, List<String>> events = published.of(order.getKey());
            List<String> payments = events.getOrDefault("payment.events", List.of());
            if (payments.stream().filter("PaymentCharged"::equals).count() > 1) {
                doubleCharges++;
            }
            if (order.getValue().documentedOutcome != null) {
                Map<String, List<String>> expected = new TreeMap<>(documented.get(order.getValue().documentedOutcome));
                expected.values().removeIf(List::isEmpty);
                assertEquals(expected, events, order.getValue() + " " + order.getKey());
            } else {
                assertEveryStepUndone(order.getKey(), statuses.get(order.getKey()), events);
            }
        }
        assertEquals(0, doubleCharges, "orders charged twice");

        System.out.printf(
                "CrashAndRestartIT: %d orders over HTTP, all placed in %.1f s; orders worker SIGKILLed at"
                        + " %.1f s (%d placed); Temporal server SIGKILLed at %.1f s with %d sagas in flight, serving"
                        + " again at %.1f s, then the orders worker restarted; broker stopped at %.1f s, back at %.1f s;"
                        + " every saga closed at %.1f s; outcomes %s; %d events (%s) all on Kafka as %d records; 0"
                        + " charged twice, no compensation missing; stock and balances conserved%n",
                ORDERS,
                allPlacedAt,
                killedAt,
                placedWhenKilled,
                serverKilledAt,
                inFlight[0],
                serverBackAt,
                brokerStoppedAt,
                brokerBackAt,
                allClosedAt,
                outcomes,
                outboxEvents,
                outboxTotals,
                published.records());
        assertTrue(published.records() >= outboxEvents);
    }

    /** A cancelled order: every step that took effect has its undo, and the order's own record says so last. */
    private static void assertEveryStepUndone(String orderId, String status, Map<String, List<String>> events) {
        List<String> order = events.getOrDefault("orders.events", List.of());
        if (status.equals("COMPLETED")) {
            assertEquals("OrderCompleted", order.get(order.size() - 1), orderId);
            return;
        }
        assertEquals("OrderCompensated", order.get(order.size() - 1), orderId + " " + events);
        for (String[] doneAndUndone : List.of(
                new String[] {"inventory.events", "InventoryReserved", "InventoryReleased"},
                new String[] {"payment.events", "PaymentCharged", "PaymentRefunded"},
                new String[] {"shipping.events", "ShipmentCreated", "ShipmentCancelled"})) {
            List<String> topic = events.getOrDefault(doneAndUndone[0], List.of());
            assertEquals(
                    topic.contains(doneAndUndone[1]),
                    topic.contains(doneAndUndone[2]),
                    orderId + ": " + doneAndUndone[1] + " undone " + events);
        }
    }

    private static long count(WorkflowServiceStubs stubs, String query) {
        return stubs.blockingStub()
                .countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
                        .setNamespace("default")
                        .setQuery(query)
                        .build())
                .getCount();
    }

    private static BigDecimal number(LocalPostgres postgres, String schema, String sql) {
        return query(postgres, schema, sql, row -> row.getBigDecimal(1)).get(0);
    }

    private static Set<String> strings(LocalPostgres postgres, String schema, String sql) {
        return new HashSet<>(query(postgres, schema, sql, row -> row.getString(1)));
    }

    private interface Column<T> {
        T read(ResultSet row) throws SQLException;
    }

    private static <T> List<T> query(LocalPostgres postgres, String schema, String sql, Column<T> column) {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DATABASE))) {
            connection.setSchema(schema);
            try (PreparedStatement statement = connection.prepareStatement(sql);
                    ResultSet row = statement.executeQuery()) {
                List<T> values = new ArrayList<>();
                while (row.next()) {
                    values.add(column.read(row));
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
