package org.ordersaga.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ordersaga.Await;
import org.ordersaga.db.Queries;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.kafka.SharedKafka;
import org.ordersaga.kafka.TopicReader;
import org.ordersaga.local.DataSourceSettings;
import org.ordersaga.local.KafkaBroker;
import org.ordersaga.local.LocalTemporal;
import org.ordersaga.local.PayloadKey;
import org.ordersaga.local.Ports;
import org.ordersaga.outbox.EventEnvelope;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.saga.OrderItem;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.OrderWorkflow;
import org.ordersaga.saga.OrderWorkflowImpl;
import org.ordersaga.saga.OrderWorkflows;
import org.ordersaga.saga.SagaPolicy;
import org.ordersaga.saga.SagaService;
import org.ordersaga.saga.SagaStatus;
import org.ordersaga.saga.ShippingAddress;
import org.ordersaga.temporal.PayloadEncryption;
import org.ordersaga.temporal.PayloadEncryptionProperties;
import org.ordersaga.temporal.TemporalConnection;

/**
 * The worker as deployed: the orders service (which runs the saga) and the three others in two separate application contexts (two
 * "processes"), each configured only through properties, against Temporal over gRPC on a port, real PostgreSQL
 * and a real Kafka broker.
 */
class WorkerIT {

    private final KafkaBroker broker = SharedKafka.broker();
    private TestDatabases databases;
    private LocalTemporal temporal;
    private String temporalTarget;
    private String prefix;

    @BeforeEach
    void start() {
        databases = TestDatabases.create();
        temporal = LocalTemporal.testServer(Ports.free());
        temporalTarget = temporal.target();
        prefix = "w" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicReader.createTopics(broker.bootstrapServers(), EventTopics.all(prefix));
    }

    @AfterEach
    void stop() {
        temporal.close();
        databases.close();
    }

    private Map<String, Object> configuration(String services) {
        return configuration(services, Map.of());
    }

    private Map<String, Object> configuration(String services, Map<String, Object> settings) {
        Map<String, Object> properties = new HashMap<>(settings);
        properties.put("saga.services", services);
        properties.put("saga.demo-data", true);
        properties.put("saga.shutdown-grace", "5s");
        properties.put("saga.temporal.target", temporalTarget);
        properties.put("saga.kafka.bootstrap-servers", broker.bootstrapServers());
        properties.put("saga.kafka.topic-prefix", prefix);
        for (SagaService service : SagaService.values()) {
            properties.putAll(DataSourceSettings.service(service.id(), databases.jdbcUrl()));
        }
        return properties;
    }

    @Test
    void theOrchestratorAndTheServicesInSeparateProcessesRunSagasAndPublishTheirEvents() throws TimeoutException {
        try (ApplicationContext orders = ApplicationContext.run(configuration("orders"));
                ApplicationContext services = ApplicationContext.run(configuration("inventory,payment,shipping"))) {
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(temporalTarget)
                    .build());
            WorkflowClient client = WorkflowClient.newInstance(stubs);

            assertEquals(
                    OrderStatus.COMPLETED, run(client, order("w-ok", "cust-ok")).status());
            SagaStatus declined = run(client, order("w-poor", "cust-poor"));
            assertEquals(OrderStatus.COMPENSATED, declined.status());
            assertEquals("PaymentDeclined", declined.failure().type());

            // each service's relay publishes on its own, so the order's last event may come before the shipment's
            List<String> published = List.of(
                    "w-ok ShipmentCreated",
                    "w-ok OrderCompleted",
                    "w-poor PaymentDeclined",
                    "w-poor InventoryReleased",
                    "w-poor OrderCompensated");
            List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(
                    broker.bootstrapServers(),
                    EventTopics.all(prefix),
                    read -> types(read).containsAll(published),
                    Duration.ofSeconds(60));
            assertTrue(types(records).containsAll(published), types(records).toString());
            stubs.shutdown();
        }
    }

    /** What SIGTERM does to a worker process: its application context closes. */
    @Test
    void aStoppingProcessFinishesTheActivityInFlightBeforeItExits() throws Exception {
        try (ApplicationContext others = ApplicationContext.run(configuration("orders,inventory,shipping"));
                Connection lock = databases.dataSource(ServiceSchema.PAYMENT).getConnection()) {
            ApplicationContext payment = ApplicationContext.run(configuration("payment"));
            lock.setAutoCommit(false);
            try (Statement hold = lock.createStatement()) {
                hold.execute("SELECT * FROM accounts WHERE customer_id = 'cust-ok' FOR UPDATE");
            }
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(temporalTarget)
                    .build());
            OrderRequest order = order("w-inflight", "cust-ok");
            OrderWorkflow saga = WorkflowClient.newInstance(stubs)
                    .newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
            WorkflowClient.start(saga::process, order, SagaPolicy.DEFAULT);
            Await.until(
                    "the charge waits on the account row",
                    Duration.ofSeconds(30),
                    () -> Queries.number(
                                            databases.dataSource(ServiceSchema.PAYMENT),
                                            "SELECT count(*) FROM pg_stat_activity"
                                                    + " WHERE wait_event_type = 'Lock' AND datname = current_database()")
                                    .intValue()
                            == 1);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(payment::close);
            Thread.sleep(1_000);
            assertFalse(stopping.isDone(), "the process waits for its activity in flight");
            lock.commit();
            stopping.get(10, TimeUnit.SECONDS);

            SagaStatus done = WorkflowStub.fromTyped(saga).getResult(60, TimeUnit.SECONDS, SagaStatus.class);
            assertEquals(OrderStatus.COMPLETED, done.status());
            assertTrue(
                    WorkflowClient.newInstance(stubs)
                            .fetchHistory(OrderWorkflows.workflowId(order.orderId()))
                            .getEvents()
                            .stream()
                            .filter(HistoryEvent::hasActivityTaskStartedEventAttributes)
                            .allMatch(started -> started.getActivityTaskStartedEventAttributes()
                                            .getAttempt()
                                    == 1),
                    "the charge finished, not retried");
            stubs.shutdown();
        }
    }

    /** A worker (re)started while Temporal restarts waits for it rather than exiting. */
    @Test
    void aProcessStartedWhileTemporalIsDownWaitsForItAndRuns() throws Exception {
        int port = Integer.parseInt(temporalTarget.substring(temporalTarget.lastIndexOf(':') + 1));
        temporal.close();
        CompletableFuture<ApplicationContext> starting =
                CompletableFuture.supplyAsync(() -> ApplicationContext.run(configuration("orders")));
        Thread.sleep(3_000);
        assertFalse(starting.isDone(), "the worker waits for Temporal");
        temporal = LocalTemporal.testServer(port);
        try (ApplicationContext orders = starting.get(60, TimeUnit.SECONDS)) {
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(temporalTarget)
                    .build());
            WorkflowClient client = WorkflowClient.newInstance(stubs);
            OrderRequest order = order("w-late", "cust-ok");
            OrderWorkflow saga = client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
            WorkflowClient.start(saga::process, order, SagaPolicy.DEFAULT);
            Await.until(
                    "the saga's first step scheduled by the worker",
                    Duration.ofSeconds(30),
                    () -> client.fetchHistory(OrderWorkflows.workflowId(order.orderId())).getEvents().stream()
                            .anyMatch(HistoryEvent::hasActivityTaskScheduledEventAttributes));
            stubs.shutdown();
        }
    }

    /**
     * A key rotation as the README describes it: sagas started while the old key encrypts, their workers then
     * redeployed with the new key encrypting and the old one kept for reading. They complete, and their histories,
     * which hold both keys' payloads and no personal data in the clear, replay.
     */
    @Test
    void sagasStartedUnderTheOldKeyCompleteAndReplayAfterTheNewKeyEncrypts() throws Exception {
        PayloadKey old = PayloadKey.generate();
        PayloadKey rotated = new PayloadKey("rotated", PayloadKey.generate().base64());
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporalTarget)
                .build());
        try {
            WorkflowClient before = client(stubs, List.of(old), old);
            List<OrderRequest> orders = List.of(order("w-rot-ok", "cust-ok"), order("w-rot-poor", "cust-poor"));
            for (OrderRequest order : orders) {
                OrderWorkflow saga = before.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
                WorkflowClient.start(saga::process, order, SagaPolicy.DEFAULT);
            }

            Map<String, Object> afterRotation = new HashMap<>();
            afterRotation.put("saga.payload-encryption.keys", rotated.entry() + "," + old.entry());
            afterRotation.put("saga.payload-encryption.key-id", rotated.id());
            try (ApplicationContext ordersWorker = ApplicationContext.run(configuration("orders", afterRotation));
                    ApplicationContext services =
                            ApplicationContext.run(configuration("inventory,payment,shipping", afterRotation))) {
                WorkflowClient after = client(stubs, List.of(rotated, old), rotated);
                List<OrderStatus> outcomes = new ArrayList<>();
                for (OrderRequest order : orders) {
                    outcomes.add(after.newUntypedWorkflowStub(OrderWorkflows.workflowId(order.orderId()))
                            .getResult(60, TimeUnit.SECONDS, SagaStatus.class)
                            .status());
                }
                assertEquals(List.of(OrderStatus.COMPLETED, OrderStatus.COMPENSATED), outcomes);

                TestWorkflowEnvironment replay = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                        .setWorkflowClientOptions(after.getOptions())
                        .build());
                try {
                    Worker worker = replay.newWorker(SagaService.ORDERS.taskQueue());
                    worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
                    for (OrderRequest order : orders) {
                        WorkflowExecutionHistory history =
                                after.fetchHistory(OrderWorkflows.workflowId(order.orderId()));
                        assertEquals(
                                Set.of(old.id(), rotated.id()),
                                keyIds(history.getHistory()),
                                order.orderId() + ": its input under the old key, what followed under the new");
                        String raw = history.getHistory().toByteString().toString(StandardCharsets.ISO_8859_1);
                        assertFalse(raw.contains("Ada Lovelace"), "no name in the clear");
                        WorkflowReplayer.replayWorkflowExecution(history, worker);
                    }
                } finally {
                    replay.close();
                }
            }
        } finally {
            stubs.shutdown();
        }
    }

    /** Each encrypted payload's key id, wherever it is in the history. */
    private static Set<String> keyIds(History history) {
        Set<String> ids = new TreeSet<>();
        Matcher id = Pattern.compile(PayloadEncryption.KEY_ID + "\\W{1,4}([\\w-]+)")
                .matcher(history.toByteString().toString(StandardCharsets.ISO_8859_1));
        while (id.find()) {
            ids.add(id.group(1));
        }
        return ids;
    }

    private static WorkflowClient client(WorkflowServiceStubs stubs, List<PayloadKey> keys, PayloadKey encrypting) {
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setDataConverter(
                                TemporalConnection.dataConverter(PayloadEncryption.of(new PayloadEncryptionProperties(
                                        keys.stream().map(PayloadKey::entry).toList(), encrypting.id()))))
                        .build());
    }

    @Test
    void aMisconfiguredProcessRefusesToStartAndSaysWhy() {
        Map<String, Object> unknown = configuration("orders,warehouse");
        Exception unknownService = assertThrows(
                Exception.class, () -> ApplicationContext.run(unknown).close());
        assertTrue(messages(unknownService).contains("unknown service 'warehouse'"), messages(unknownService));

        Map<String, Object> noDatabase = configuration("inventory");
        noDatabase.keySet().removeIf(key -> key.startsWith("datasources.inventory."));
        Exception missing = assertThrows(
                Exception.class, () -> ApplicationContext.run(noDatabase).close());
        assertTrue(messages(missing).contains("needs the datasource 'inventory'"), messages(missing));

        Map<String, Object> unknownKey = configuration("payment");
        unknownKey.put("saga.payload-encryption.keys", PayloadKey.generate().entry());
        unknownKey.put("saga.payload-encryption.key-id", "retired");
        Exception keyId = assertThrows(
                Exception.class, () -> ApplicationContext.run(unknownKey).close());
        assertTrue(messages(keyId).contains("saga.payload-encryption.key-id must name one of"), messages(keyId));
    }

    private static SagaStatus run(WorkflowClient client, OrderRequest order) throws TimeoutException {
        OrderWorkflow saga = client.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
        WorkflowClient.start(saga::process, order, SagaPolicy.DEFAULT);
        return WorkflowStub.fromTyped(saga).getResult(60, TimeUnit.SECONDS, SagaStatus.class);
    }

    private static OrderRequest order(String orderId, String customerId) {
        return new OrderRequest(
                orderId,
                customerId,
                List.of(new OrderItem("sku-100", 2)),
                new ShippingAddress("Ada Lovelace", "12 St James's Square", "London", "SW1Y 4JH", "GB"));
    }

    private static List<String> types(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream()
                .map(r -> r.key() + " " + EventEnvelope.parse(r.value()).type())
                .toList();
    }

    private static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
