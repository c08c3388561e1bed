package org.ordersaga.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.local.LocalPostgres;
import org.ordersaga.outbox.DomainEvent;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.outbox.OutboxRelay;
import org.ordersaga.outbox.OutboxWriter;
import org.ordersaga.outbox.RelaySettings;
import org.ordersaga.saga.SagaService;

/**
 * Scenario 3: outbox rows committed as fast as writers can, one event per transaction, published by the real relay;
 * latency from the writing transaction to the row marked published after the broker's ack. Beside it the limit: the
 * very records the relay published, sent again straight from a producer with the relay's settings.
 */
final class RelayBench {

    private static final String DATABASE = "relay";
    static final String PREFIX = "bench.";
    private static final int WRITERS = 4;
    private static final int ORDERS = 1000;
    private static final Duration LIMIT = Duration.ofMinutes(5);

    /** A synthetic event of about the size of the real ones. */
    record BenchEvent(String orderId, int n, String sku, String detail) implements DomainEvent {}

    record Result(
            int events,
            int batchSize,
            double relayPerSecond,
            Latencies.Summary relayLatency,
            double rawPerSecond,
            Latencies.Summary rawLatency,
            double throughputToRaw) {}

    private RelayBench() {}

    static Result run(LocalPostgres postgres, String bootstrapServers, int events, int batchSize) throws Exception {
        postgres.createDatabase(DATABASE);
        try (HikariDataSource writers = pool(postgres, DATABASE, WRITERS, "writers");
                HikariDataSource relayConnections = pool(postgres, DATABASE, 2, "relay")) {
            ServiceSchema.INVENTORY.migrate(writers, false);
            try (OutboxRelay relay = relay(relayConnections, OutboxRelay.producers(bootstrapServers), PREFIX, batchSize)
                    .start()) {
                write(writers, events);
                awaitPublished(writers);
            }
            Latencies relayLatency = new Latencies();
            double relaySeconds = publishedLatencies(writers, relayLatency);
            List<ConsumerRecord<String, byte[]>> published = readBack(bootstrapServers, PREFIX, events);
            Latencies rawLatency = new Latencies();
            double rawSeconds = sendRaw(bootstrapServers, published, rawLatency);
            double relayPerSecond = events / relaySeconds;
            double rawPerSecond = events / rawSeconds;
            return new Result(
                    events,
                    batchSize,
                    round(relayPerSecond),
                    relayLatency.summary(),
                    round(rawPerSecond),
                    rawLatency.summary(),
                    Math.round(relayPerSecond / rawPerSecond * 1000) / 1000.0);
        }
    }

    /** A pool on {@code database}, in the inventory service's schema, whose outbox the scenarios use. */
    static HikariDataSource pool(LocalPostgres postgres, String database, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl(database));
        config.setSchema(ServiceSchema.INVENTORY.schema());
        config.setMaximumPoolSize(size);
        config.setPoolName("bench-" + name);
        return new HikariDataSource(config);
    }

    /** The real relay, publishing to topics under {@code prefix} with its default settings but the batch size. */
    static OutboxRelay relay(
            DataSource dataSource, Function<String, Producer<String, byte[]>> producers, String prefix, int batchSize) {
        RelaySettings defaults = RelaySettings.DEFAULT;
        return new OutboxRelay(
                dataSource,
                SagaService.INVENTORY,
                producers,
                new RelaySettings(
                        prefix,
                        batchSize,
                        defaults.pollInterval(),
                        defaults.standbyInterval(),
                        defaults.maxBackoff(),
                        defaults.retention()),
                new SimpleMeterRegistry());
    }

    private static void write(HikariDataSource dataSource, int events) throws InterruptedException {
        OutboxWriter outbox = new OutboxWriter(SagaService.INVENTORY);
        AtomicInteger next = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch done = new CountDownLatch(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            writers.execute(() -> {
                try {
                    for (int n = next.getAndIncrement(); n < events; n = next.getAndIncrement()) {
                        try (Connection connection = dataSource.getConnection()) {
                            connection.setAutoCommit(false);
                            outbox.append(
                                    connection,
                                    new BenchEvent(
                                            "bench-order-" + (n % ORDERS), n, "sku-" + (n % 97), "x".repeat(120)));
                            connection.commit();
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("writing the outbox failed", e);
                } finally {
                    done.countDown();
                }
            });
        }
        writers.shutdown();
        if (!done.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("writing " + events + " rows took longer than " + LIMIT);
        }
    }

    static void awaitPublished(DataSource dataSource) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        // one row of the pending index, not all of them: polling must not load the database it measures
        while (count(dataSource, "SELECT count(*) FROM (SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 1) p")
                > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the relay did not publish every row within " + LIMIT);
            }
            Thread.sleep(100);
        }
    }

    /** Each row's commit-to-published latency; returns the seconds from the first write to the last mark. */
    private static double publishedLatencies(HikariDataSource dataSource, Latencies latencies) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet rows =
                    statement.executeQuery("SELECT extract(epoch FROM published_at - created_at) FROM outbox")) {
                while (rows.next()) {
                    latencies.add((long) (rows.getDouble(1) * 1e9));
                }
            }
            try (ResultSet span = statement.executeQuery(
                    "SELECT extract(epoch FROM max(published_at) - min(created_at)) FROM outbox")) {
                span.next();
                return span.getDouble(1);
            }
        }
    }

    /** The first {@code events} records of the inventory topic under {@code prefix}. */
    static List<ConsumerRecord<String, byte[]>> readBack(String bootstrapServers, String prefix, int events) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-relay-read-back");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(EventTopics.topic(prefix, SagaService.INVENTORY)));
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (records.size() < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read back " + records.size() + " of " + events + " events");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    /** Sends the records again, as fast as the producer takes them; returns the seconds until the last ack. */
    private static double sendRaw(
            String bootstrapServers, List<ConsumerRecord<String, byte[]>> records, Latencies latencies)
            throws InterruptedException {
        String topic = EventTopics.topic(PREFIX + "raw.", SagaService.INVENTORY);
        AtomicLong lastAck = new AtomicLong();
        CountDownLatch acked = new CountDownLatch(records.size());
        long first = System.nanoTime();
        try (Producer<String, byte[]> producer =
                new KafkaProducer<>(OutboxRelay.producerProperties(bootstrapServers))) {
            for (ConsumerRecord<String, byte[]> record : records) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, record.key(), record.value()), (metadata, error) -> {
                    long now = System.nanoTime();
                    if (error == null) {
                        latencies.add(now - sent);
                    }
                    lastAck.accumulateAndGet(now, Math::max);
                    acked.countDown();
                });
            }
            if (!acked.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the raw producer's sends were not acknowledged within " + LIMIT);
            }
        }
        return (lastAck.get() - first) / 1e9;
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
