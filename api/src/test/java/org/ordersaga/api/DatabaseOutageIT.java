package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.RealTemporal;
import org.ordersaga.local.LocalPostgres;
import org.ordersaga.local.LocalStack;
import org.ordersaga.local.LocalTemporal;
import org.ordersaga.local.OrdersClient;
import org.ordersaga.local.Ports;
import org.ordersaga.local.SagaProcesses;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.OrderWorkflow;
import org.ordersaga.saga.OrderWorkflows;
import org.ordersaga.saga.PendingStep;
import org.ordersaga.saga.SagaService;
import org.ordersaga.saga.SagaStatus;

/**
 * PostgreSQL stopped for longer than a step's whole retry budget while sagas are under way and new orders keep
 * arriving, with the workers and the API as processes from the packaged jars. The budget is one minute here, set
 * as a deployment sets it ({@code SAGA_RETRY_<SERVICE>_GIVE_UP_AFTER} of the API, which puts it in each saga), so
 * that the test takes minutes less than with the default five; the mechanism does not depend on its length.
 * Infrastructure failures do not spend the budget: no order compensates, and once the database is back every order
 * completes, each charged and holding its stock exactly once.
 *
 * <p>Temporal is the CLI's dev server, the real server's timers: the budget is what is under test, and the SDK's
 * in-memory test server drops a step's schedule-to-close timer once the step's second attempt is scheduled (it
 * checks the budget only as an attempt ends).
 */
class DatabaseOutageIT {

    private static final String DATABASE = "ordersaga";
    private static final Duration BUDGET = Duration.ofMinutes(1);
    private static final Duration OUTAGE = BUDGET.plusSeconds(20);
    private static final int ORDERS_BEFORE = 10;
    private static final int ORDERS_DURING = 10;

    private final Started launched = new Started();
    private LocalPostgres postgres;

    @AfterEach
    void stopEverything() throws Exception {
        launched.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Tag("real-temporal")
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void anOutageLongerThanAStepsBudgetDelaysOrdersAndCompensatesNone() throws Exception {
        Path directory =
                LocalStack.freshDirectory(Path.of("target", "database-outage").toAbsolutePath());
        int postgresPort = Ports.free();
        postgres = LocalPostgres.startKeepingData(postgresPort, directory.resolve("postgres"));
        postgres.createDatabase(DATABASE);
        Optional<Path> cli = LocalTemporal.findCli();
        RealTemporal.require(cli.isPresent());
        ProcessEngines engines = ProcessEngines.start(
                new LocalTemporal.Choice.DevServer(cli.get()), postgres, DATABASE, directory, launched);
        SagaProcesses saga = engines.processes().withSettings(budgets());
        OrdersClient orders = engines.customer(engines.startWorkersAndApi(launched), "cust-ok");
        LocalTemporal temporal = engines.temporal();
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporal.target())
                .build());
        launched.other(stubs::shutdown);
        WorkflowClient client = engines.temporalClient(stubs);

        List<String> placed = new ArrayList<>();
        for (int i = 0; i < ORDERS_BEFORE; i++) {
            placed.add(orders.place("cust-ok", "sku-100", 1, "GB"));
        }
        postgres.close();
        long outageStarted = System.nanoTime();
        List<String> placedDuringOutage = new ArrayList<>();
        for (int i = 0; i < ORDERS_DURING; i++) {
            placedDuringOutage.add(orders.place("cust-ok", "sku-100", 1, "GB"));
        }
        placed.addAll(placedDuringOutage);
        Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - outageStarted) / 1_000_000));
        for (String orderId : placed) {
            OrderStatus status = status(client, orderId);
            assertTrue(
                    status == OrderStatus.PROCESSING || status == OrderStatus.COMPLETED,
                    orderId + " is " + status + " after an outage of " + OUTAGE);
        }
        String metrics = new OrdersClient(saga.workerUrl("orders")).text("/prometheus");
        assertTrue(
                metrics.contains("saga_activity_database_failures_total{activity=\"OrderRecordPlaced\","
                        + "kind=\"UNAVAILABLE\"}"),
                "the orders worker's metrics count the outage:\n" + metrics);
        postgres = LocalPostgres.startKeepingData(postgresPort, directory.resolve("postgres"));

        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        for (String orderId : placed) {
            try {
                SagaStatus result = client.newUntypedWorkflowStub(OrderWorkflows.workflowId(orderId))
                        .getResult(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS, SagaStatus.class);
                assertEquals(OrderStatus.COMPLETED, result.status(), orderId + " ended " + result);
            } catch (TimeoutException late) {
                fail("not every order completed within 4 minutes of PostgreSQL's return:"
                        + unfinished(client, stubs, placed));
            }
        }
        int rescheduled = 0;
        for (String orderId : placedDuringOutage) {
            long recordAttempts = client.fetchHistory(OrderWorkflows.workflowId(orderId)).getEvents().stream()
                    .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                    .filter(event -> event.getActivityTaskScheduledEventAttributes()
                            .getActivityType()
                            .getName()
                            .equals("OrderRecordPlaced"))
                    .count();
            rescheduled += recordAttempts > 1 ? 1 : 0;
        }
        assertTrue(rescheduled > 0, "the outage outlasted a budget: some step was scheduled again");
        assertEquals(
                Set.copyOf(placed),
                orderIds("inventory", "SELECT order_id FROM reservations" + " WHERE status = 'ACTIVE'"),
                "each order holds its stock");
        assertEquals(
                Set.copyOf(placed),
                orderIds("payment", "SELECT order_id FROM charges WHERE status = 'CHARGED'"),
                "each order is charged");
        assertEquals(Set.copyOf(placed), orderIds("orders", "SELECT order_id FROM orders WHERE status = 'COMPLETED'"));
        System.out.printf(
                "DatabaseOutageIT: PostgreSQL down for %s, %d orders placed just before and %d during"
                        + " the outage; %d of those had their first step scheduled again after a spent budget; all %d"
                        + " completed, none compensated%n",
                OUTAGE, ORDERS_BEFORE, ORDERS_DURING, rescheduled, placed.size());
    }

    private static OrderStatus status(WorkflowClient client, String orderId) {
        return client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.workflowId(orderId))
                .status()
                .status();
    }

    /** Each order that has not completed, with its state and what Temporal is retrying for it. */
    private static String unfinished(WorkflowClient client, WorkflowServiceStubs stubs, List<String> placed) {
        StringBuilder report = new StringBuilder();
        for (String orderId : placed) {
            OrderStatus status = status(client, orderId);
            if (status != OrderStatus.COMPLETED) {
                DescribeWorkflowExecutionResponse description = stubs.blockingStub()
                        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                                .setNamespace(client.getOptions().getNamespace())
                                .setExecution(WorkflowExecution.newBuilder()
                                        .setWorkflowId(OrderWorkflows.workflowId(orderId)))
                                .build());
                report.append("\n  ")
                        .append(orderId)
                        .append(": ")
                        .append(status)
                        .append(", pending ")
                        .append(PendingStep.of(description));
            }
        }
        return report.toString();
    }

    /** Every service's steps give up after {@link #BUDGET}, in the sagas the API starts. */
    private static Map<String, String> budgets() {
        Map<String, String> budgets = new HashMap<>();
        for (SagaService service : SagaService.values()) {
            budgets.put("SAGA_RETRY_" + service.id().toUpperCase() + "_GIVE_UP_AFTER", BUDGET.toSeconds() + "s");
        }
        return budgets;
    }

    private Set<String> orderIds(String schema, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DATABASE));
                Statement statement = connection.createStatement()) {
            connection.setSchema(schema);
            Set<String> ids = new HashSet<>();
            try (ResultSet row = statement.executeQuery(sql)) {
                while (row.next()) {
                    ids.add(row.getString(1));
                }
            }
            return ids;
        }
    }
}
