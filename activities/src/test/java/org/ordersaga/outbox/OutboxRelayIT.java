package org.ordersaga.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ordersaga.outbox.OutboxRows.count;

import com.zaxxer.hikari.HikariDataSource;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ordersaga.Await;
import org.ordersaga.db.Queries;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.kafka.SharedKafka;
import org.ordersaga.kafka.TopicReader;
import org.ordersaga.local.KafkaBroker;
import org.ordersaga.saga.SagaService;

/** The relay against a real broker and real PostgreSQL. */
class OutboxRelayIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    private final KafkaBroker broker = SharedKafka.broker();
    private TestDatabases databases;
    private DataSource inventory;
    private String topic;
    private RelaySettings settings;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    @BeforeEach
    void freshOutbox() {
        databases = TestDatabases.create();
        inventory = databases.dataSource(ServiceSchema.INVENTORY);
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
        settings = RelaySettings.DEFAULT.withTopicPrefix(prefix);
        topic = EventTopics.topic(settings.topicPrefix(), SagaService.INVENTORY);
        TopicReader.createTopics(broker.bootstrapServers(), List.of(topic));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        databases.close();
        broker.start();
    }

    private OutboxRelay relay(RelaySettings relaySettings, MeterRegistry meters) {
        return relay(inventory, relaySettings, meters);
    }

    private OutboxRelay relay(DataSource dataSource, RelaySettings relaySettings, MeterRegistry meters) {
        return relay(dataSource, OutboxRelay.producers(broker.bootstrapServers()), relaySettings, meters);
    }

    private OutboxRelay relay(
            DataSource dataSource,
            Function<String, Producer<String, byte[]>> producers,
            RelaySettings relaySettings,
            MeterRegistry meters) {
        OutboxRelay relay = new OutboxRelay(dataSource, SagaService.INVENTORY, producers, relaySettings, meters);
        closeables.push(relay);
        return relay.start();
    }

    private List<ConsumerRecord<String, byte[]>> readDistinct(int expected) {
        return TopicReader.readUntil(
                broker.bootstrapServers(),
                List.of(topic),
                records -> TopicReader.eventIds(records).size() >= expected,
                LIMIT);
    }

    @Test
    void tenThousandRowsArriveOncePerEventAfterDedupeInCommitOrderPerOrder() {
        OutboxRows.write(inventory, "bulk-", 250, 40);
        long started = System.nanoTime();
        relay(settings, new SimpleMeterRegistry());

        List<ConsumerRecord<String, byte[]>> records = readDistinct(10_000);
        double seconds = (System.nanoTime() - started) / 1e9;
        Await.until("all rows marked published", LIMIT, () -> count(inventory, "published_at IS NULL") == 0);

        assertEachOrderOnceInCommitOrder(records, 250, 40);
        System.out.printf(
                "OutboxRelayIT: 10000 events relayed and read back in %.1f s (%d records on the topic)%n",
                seconds, records.size());
    }

    /**
     * Each commit is published well within the poll interval, so because it woke the idle relay: a single row, after
     * which the relay keeps listening, or a hundred at once, after which it stops listening while it publishes and
     * listens again once idle. (Closing the relay waits out its poll.)
     */
    @Test
    void anIdleRelayWakesOnEachCommitsNotificationNotOnItsPollInterval() {
        RelaySettings longPoll = new RelaySettings(
                settings.topicPrefix(),
                settings.batchSize(),
                Duration.ofSeconds(30),
                settings.standbyInterval(),
                settings.maxBackoff(),
                settings.retention());
        OutboxRelay relay = relay(longPoll, new SimpleMeterRegistry());
        Await.until("the relay is active", LIMIT, relay::isActive);

        for (int round = 1; round <= 4; round++) {
            idle(); // a busy relay listens again some 10 ms after its last row
            OutboxRows.write(inventory, "idle-" + round + "-", round % 2 == 0 ? 100 : 1, 1);
            Await.until(
                    "round " + round + " published",
                    Duration.ofSeconds(10),
                    () -> count(inventory, "published_at IS NULL") == 0);
        }
        assertEquals(202, TopicReader.eventIds(readDistinct(202)).size());
    }

    @Test
    void aCrashBetweenPublishAndMarkPublishesAgainAndLosesNothing() {
        OutboxRows.write(inventory, "crash-", 40, 50);
        RelaySettings quick = new RelaySettings(
                settings.topicPrefix(),
                100,
                Duration.ofMillis(200),
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                Duration.ofDays(7));
        OutboxRelay relay = relay(
                inventory,
                CrashingProducer.producers(broker.bootstrapServers(), 0.3),
                quick,
                new SimpleMeterRegistry());

        Await.until("all rows marked published", LIMIT, () -> count(inventory, "published_at IS NULL") == 0);
        List<ConsumerRecord<String, byte[]>> records = readDistinct(2_000);

        assertEquals(2_000, TopicReader.eventIds(records).size());
        assertTrue(records.size() > 2_000, "crashes before marking publish rows again: " + records.size());
        relay.close();
        assertEquals(
                0,
                Queries.number(inventory, """
                SELECT count(*) FROM pg_locks
                WHERE locktype = 'advisory'
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """).intValueExact(),
                "the pool's connections hold no relay lock once the relay stopped");
    }

    /**
     * A record lost in the middle of a round, while the records behind it are written, must be read before any later
     * event of its order: the round is aborted and sent again whole, and a read-committed consumer never sees the
     * hole. (Marking what the broker took and sending the lost record again put it after its order's later events.)
     */
    @Test
    void aRecordLostInTheMiddleOfARoundIsReadBeforeAnyLaterEventOfItsOrder() {
        OutboxRows.write(inventory, "lost-", 40, 50);
        RelaySettings rounds = new RelaySettings(
                settings.topicPrefix(),
                100,
                settings.pollInterval(),
                settings.standbyInterval(),
                Duration.ofMillis(100),
                settings.retention());
        relay(inventory, LosingProducer.producers(broker.bootstrapServers(), 0.005), rounds, new SimpleMeterRegistry());

        Await.until("all rows marked published", LIMIT, () -> count(inventory, "published_at IS NULL") == 0);
        assertTrue(count(inventory, "attempts > 1") > 0, "some rows were lost in flight and sent again");
        assertEachOrderOnceInCommitOrder(readDistinct(2_000), 40, 50);
    }

    /**
     * Every record keyed by its order and of the rows {@link OutboxRows} writes; after dedupe by event id, each order's
     * events exactly once and in the order they were committed.
     */
    private static void assertEachOrderOnceInCommitOrder(
            List<ConsumerRecord<String, byte[]>> records, int orders, int eventsPerOrder) {
        Map<String, List<Integer>> numbersByOrder = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            EventEnvelope event = EventEnvelope.parse(record.value());
            assertEquals(record.key(), event.orderId(), "keyed by order id");
            assertEquals("Numbered", event.type());
            if (seen.add(event.eventId().toString())) {
                numbersByOrder
                        .computeIfAbsent(event.orderId(), k -> new ArrayList<>())
                        .add(event.payload().get("n").asInt());
            }
        }
        assertEquals(orders * eventsPerOrder, seen.size());
        assertEquals(orders, numbersByOrder.size());
        numbersByOrder.forEach((order, numbers) ->
                assertEquals(IntStream.range(0, eventsPerOrder).boxed().toList(), numbers, order + " in commit order"));
    }

    @Test
    void aBrokerOutageDelaysButLosesNothing() {
        OutboxRows.write(inventory, "before-", 20, 50);
        relay(settings, new SimpleMeterRegistry());
        Await.until("first rows published", LIMIT, () -> count(inventory, "published_at IS NOT NULL") >= 1_000);

        broker.stop();
        OutboxRows.write(inventory, "during-", 20, 50);
        Await.until("the relay meets the outage", LIMIT, () -> count(inventory, "last_error IS NOT NULL") > 0);
        assertEquals(1_000, count(inventory, "published_at IS NULL"), "rows written during the outage wait");
        broker.start();

        Await.until(
                "everything published after the outage", LIMIT, () -> count(inventory, "published_at IS NULL") == 0);
        assertEquals(2_000, TopicReader.eventIds(readDistinct(2_000)).size());
    }

    /** Each relay has its own connection pool, as each worker process would; closing it is that process dying. */
    @Test
    void onlyOneOfTwoRelaysPublishesAndTheOtherTakesOverWhenItDies() throws Exception {
        RelaySettings quickStandby = new RelaySettings(
                settings.topicPrefix(),
                500,
                Duration.ofMillis(500),
                Duration.ofMillis(500),
                Duration.ofSeconds(2),
                Duration.ofDays(7));
        HikariDataSource firstPool = databases.newDataSource(ServiceSchema.INVENTORY);
        HikariDataSource secondPool = databases.newDataSource(ServiceSchema.INVENTORY);
        closeables.push(firstPool);
        closeables.push(secondPool);
        MeterRegistry firstMeters = new SimpleMeterRegistry();
        MeterRegistry secondMeters = new SimpleMeterRegistry();
        OutboxRelay first = relay(firstPool, quickStandby, firstMeters);
        OutboxRelay second = relay(secondPool, quickStandby, secondMeters);
        AtomicBoolean bothActive = new AtomicBoolean();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        closeables.push(watcher::shutdownNow);
        watcher.scheduleAtFixedRate(
                () -> bothActive.compareAndSet(false, first.isActive() && second.isActive()),
                0,
                10,
                TimeUnit.MILLISECONDS);
        Await.until("one relay active", LIMIT, () -> first.isActive() || second.isActive());
        boolean firstLeads = first.isActive();

        OutboxRows.write(inventory, "one-", 10, 50);
        Await.until("first rows published", LIMIT, () -> count(inventory, "published_at IS NULL") == 0);
        assertEquals(500, published(firstLeads ? firstMeters : secondMeters));
        assertEquals(0, published(firstLeads ? secondMeters : firstMeters), "the standby published nothing");
        watcher.shutdownNow();
        assertFalse(bothActive.get(), "never two active relays at once");

        (firstLeads ? firstPool : secondPool).close();
        OutboxRelay dead = firstLeads ? first : second;
        OutboxRelay survivor = firstLeads ? second : first;
        Await.until("the standby takes over", Duration.ofSeconds(10), survivor::isActive);
        Await.until("the dead relay knows it lost its session", Duration.ofSeconds(10), () -> !dead.isActive());
        OutboxRows.write(inventory, "two-", 10, 50);
        Await.until("later rows published", LIMIT, () -> count(inventory, "published_at IS NULL") == 0);

        assertEquals(500, published(firstLeads ? secondMeters : firstMeters));
        assertEquals(1_000, TopicReader.eventIds(readDistinct(1_000)).size());
    }

    @Test
    void aRowTheBrokerRefusesIsParkedWithoutBlockingTheOthers() {
        OutboxRows.write(inventory, "small-", 5, 10);
        String huge = "x".repeat(1_200_000);
        OutboxRows.inTransaction(
                inventory,
                connection -> new OutboxWriter(SagaService.INVENTORY).append(connection, new Huge("big-1", huge)));
        OutboxRows.write(inventory, "after-", 5, 10);
        MeterRegistry meters = new SimpleMeterRegistry();
        relay(settings, meters);

        Await.until("all but the huge row published", LIMIT, () -> count(inventory, "published_at IS NOT NULL") == 100);
        Await.until("the huge row parked", LIMIT, () -> count(inventory, "parked_at IS NOT NULL") == 1);
        assertEquals(
                List.of("Huge"), Queries.strings(inventory, "SELECT type FROM outbox WHERE parked_at IS NOT NULL"));
        assertTrue(Queries.strings(inventory, "SELECT last_error FROM outbox WHERE parked_at IS NOT NULL")
                .get(0)
                .contains("RecordTooLargeException"));
        assertEquals(
                1.0,
                meters.counter("outbox.relay.parked", "service", "inventory").count());
    }

    @Test
    void anEventWrittenInsideATraceCarriesItsTraceparentHeader() {
        Span span = Span.wrap(SpanContext.create(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                TraceFlags.getSampled(),
                TraceState.getDefault()));
        try (Scope ignored = span.makeCurrent()) {
            OutboxRows.write(inventory, "traced-", 1, 1);
        }
        OutboxRows.write(inventory, "untraced-", 1, 1);
        relay(settings, new SimpleMeterRegistry());

        Map<String, String> traceparents = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : readDistinct(2)) {
            var header = record.headers().lastHeader("traceparent");
            traceparents.put(
                    record.key(), header == null ? "none" : new String(header.value(), StandardCharsets.UTF_8));
        }
        assertEquals(
                Map.of("traced-0", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "untraced-0", "none"),
                traceparents);
    }

    @Test
    void everyEventIsACloudEventInBinaryModeNamingItsSchema() {
        OutboxRows.write(inventory, "cloud-", 1, 1);
        relay(settings, new SimpleMeterRegistry());

        ConsumerRecord<String, byte[]> record = readDistinct(1).get(0);
        CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
        EventEnvelope envelope = EventEnvelope.parse(record.value());
        assertEquals("1.0", header(record, "ce_specversion"));
        assertEquals(envelope.eventId().toString(), event.getId());
        assertEquals(envelope.type(), event.getType());
        assertEquals(URI.create("urn:order-saga:services:inventory"), event.getSource());
        assertEquals("cloud-0", event.getSubject());
        assertEquals(envelope.occurredAt(), event.getTime().toInstant());
        assertEquals(URI.create("urn:order-saga:events:inventory:Numbered:v1"), event.getDataSchema());
        assertEquals("application/json", event.getDataContentType());
        assertTrue(Arrays.equals(record.value(), event.getData().toBytes()), "the value is the envelope, as before");
        assertEquals(envelope.eventId().toString(), header(record, "id"), "the envelope's own headers stay");
        Set<String> written = new HashSet<>();
        record.headers().forEach(header -> written.add(header.key()));
        assertEquals(
                AsyncApiDocument.HEADERS.entrySet().stream()
                        .filter(header -> header.getValue().always())
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toSet()),
                written,
                "the headers docs/events/asyncapi.yaml says every record has, and no others");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    record Huge(String orderId, String blob) implements DomainEvent {}

    private static void idle() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double published(MeterRegistry meters) {
        return meters.counter("outbox.relay.published", "service", "inventory").count();
    }
}
