package org.ordersaga.orderview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.Await;
import org.ordersaga.db.Queries;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.faults.FaultInjection;
import org.ordersaga.kafka.SharedKafka;
import org.ordersaga.kafka.TopicReader;
import org.ordersaga.local.KafkaBroker;
import org.ordersaga.outbox.CrashingProducer;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.outbox.EventsDoc;
import org.ordersaga.outbox.OutboxRelay;
import org.ordersaga.outbox.RelaySettings;
import org.ordersaga.outbox.SchemaValidation;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.SagaFixture;
import org.ordersaga.saga.SagaService;
import org.ordersaga.saga.SagaStatus;

/**
 * End to end on real components: sagas write their services' outboxes, four relays (crashing now and then between
 * publishing and marking) publish them to a real broker, and the projection builds the order view from the topics.
 */
class EventPipelineIT {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private final KafkaBroker broker = SharedKafka.broker();

    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private TestDatabases databases;
    private String prefix;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        databases.close();
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> producer =
                new KafkaProducer<>(OutboxRelay.producerProperties(broker.bootstrapServers()));
        closeables.push(producer);
        return producer;
    }

    private OrderViewProjection projection(String group, boolean rebuild) {
        OrderViewProjection projection = new OrderViewProjection(
                databases.dataSource(ServiceSchema.ORDER_VIEW),
                broker.bootstrapServers(),
                producer(),
                new ProjectionSettings(
                        prefix,
                        group,
                        3,
                        Duration.ofMillis(100),
                        rebuild,
                        Duration.ofSeconds(1),
                        ProjectionSettings.DEFAULT.batchWait()),
                new SimpleMeterRegistry(),
                OpenTelemetry.noop());
        closeables.push(projection);
        return projection.start();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everySagaOutcomeReachesTheOrderViewOnceAndARebuildGivesTheSameView() {
        databases = TestDatabases.create();
        prefix = "p" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicReader.createTopics(broker.bootstrapServers(), EventTopics.all(prefix));
        RelaySettings settings = new RelaySettings(
                prefix, 50, Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofDays(7));
        for (SagaService service : SagaService.values()) {
            OutboxRelay relay = new OutboxRelay(
                    databases.dataSource(ServiceSchema.of(service)),
                    service,
                    // each relay crashes between publishing and marking after a fifth of its rounds
                    CrashingProducer.producers(broker.bootstrapServers(), 0.2),
                    settings,
                    new SimpleMeterRegistry());
            closeables.push(relay);
            relay.start();
        }
        String group = "order-view-" + prefix;
        OrderViewProjection live = projection(group, false);
        SagaFixture saga = new SagaFixture(databases, new FaultInjection(FaultInjection.Mode.AFTER_COMMIT, 0.2));
        closeables.push(saga);

        SagaFixture.Run run = saga.run("pipe-", 70);

        int events = 0;
        List<ServiceSchema> services =
                Arrays.stream(SagaService.values()).map(ServiceSchema::of).toList();
        for (ServiceSchema service : services) {
            DataSource outbox = databases.dataSource(service);
            Await.until(
                    service + " outbox drained", LIMIT, () -> count(outbox, "outbox WHERE published_at IS NULL") == 0);
            events += count(outbox, "outbox");
        }
        int expectedEvents = events;
        for (ServiceSchema service : services) {
            for (String written : Queries.strings(
                    databases.dataSource(service), "SELECT DISTINCT aggregatetype || ' ' || type FROM outbox")) {
                String[] aggregateAndType = written.split(" ");
                assertEquals(
                        EventTopics.topic("", aggregateAndType[0]),
                        EventsDoc.events().get(aggregateAndType[1]).topic(),
                        written + " documented in events.md");
            }
        }
        DataSource view = databases.dataSource(ServiceSchema.ORDER_VIEW);
        Await.until("every event applied", LIMIT, () -> count(view, "processed_events") == expectedEvents);

        for (SagaStatus status : run.statuses()) {
            assertViewMatches(view, status, expectedTotal(status), outboxEvents(status.orderId(), services));
        }
        assertEquals(expectedEvents, count(view, "order_events"), "each event applied once");
        List<ConsumerRecord<String, byte[]>> published = TopicReader.readUntil(
                broker.bootstrapServers(),
                EventTopics.all(prefix),
                records -> TopicReader.eventIds(records).size() >= expectedEvents,
                LIMIT);
        assertTrue(published.size() > expectedEvents, "relay crashes put duplicates on the topics");
        // events.md: money is a JSON number with two decimals, as the services wrote it
        Pattern money = Pattern.compile("\"(?:amount|total|unitPrice)\":\\s*(-?[0-9][0-9Ee.+-]*)");
        int amounts = 0;
        for (ConsumerRecord<String, byte[]> record : published) {
            Matcher amount = money.matcher(new String(record.value(), StandardCharsets.UTF_8));
            while (amount.find()) {
                assertTrue(amount.group(1).matches("-?[0-9]+\\.[0-9]{2}"), "money as written: " + amount.group());
                amounts++;
            }
        }
        assertTrue(amounts > 0, "the topics carry money");
        for (ConsumerRecord<String, byte[]> record : published) {
            assertEquals(
                    List.of(),
                    SchemaValidation.violations(record.value()),
                    record.topic() + "@" + record.offset() + " keeps its schemas");
        }

        List<String> liveView = snapshot(view);
        live.close();
        projection(group, true);
        Await.until(
                "rebuilt from the topics",
                LIMIT,
                () -> count(view, "processed_events") == expectedEvents
                        && count(view, "order_events") == expectedEvents);
        assertEquals(liveView, snapshot(view), "the rebuilt view equals the live one");
        System.out.printf(
                "EventPipelineIT: %d sagas, %d events, %d records on the topics (duplicates from relay"
                        + " crashes), view rebuilt identically%n",
                run.statuses().size(), expectedEvents, published.size());
    }

    /**
     * The saga's total once it priced the order; otherwise (cancelled while the reservation awaited its retry)
     * whatever a committed reservation's event says, since the view knows only the events.
     */
    private String expectedTotal(SagaStatus status) {
        if (status.total() != null) {
            return status.total().setScale(2).toPlainString();
        }
        return Queries.strings(
                        databases.dataSource(ServiceSchema.INVENTORY),
                        "SELECT payload->>'total' FROM outbox WHERE type = 'InventoryReserved' AND aggregateid = ?",
                        status.orderId())
                .stream()
                .findFirst()
                .orElse("");
    }

    private static void assertViewMatches(DataSource view, SagaStatus status, String total, int outboxEvents) {
        List<String> row = Queries.strings(view, """
                SELECT unnest(ARRAY[status, coalesce(total::text, ''), coalesce(failure_type, ''),
                                    event_count::text, coalesce(customer_id, '')])
                FROM order_view WHERE order_id = ?""", status.orderId());
        String failureType =
                status.status() == OrderStatus.COMPENSATED ? status.failure().type() : "";
        assertEquals(
                List.of(
                        status.status().name(),
                        total,
                        failureType,
                        Integer.toString(outboxEvents),
                        status.customerId()),
                row,
                status.toString());
    }

    private int outboxEvents(String orderId, List<ServiceSchema> services) {
        return services.stream()
                .mapToInt(service -> Queries.number(
                                databases.dataSource(service),
                                "SELECT count(*) FROM outbox WHERE aggregateid = ?",
                                orderId)
                        .intValueExact())
                .sum();
    }

    private static List<String> snapshot(DataSource view) {
        return Queries.strings(view, "SELECT v::text FROM order_view v ORDER BY order_id");
    }

    private static int count(DataSource dataSource, String from) {
        return Queries.number(dataSource, "SELECT count(*) FROM " + from).intValueExact();
    }
}
