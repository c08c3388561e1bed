package org.ordersaga.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.local.LocalPostgres;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.outbox.OutboxRelay;
import org.ordersaga.outbox.OutboxWriter;
import org.ordersaga.saga.SagaService;

/**
 * The outbox relay against its limits. Drain: a backlog of outbox rows published by the real relay, beside the bare
 * SQL of a relay cycle ({@code SELECT … FOR UPDATE SKIP LOCKED LIMIT n}, then mark) draining the same backlog with
 * no Kafka. Paced: events committed one per transaction at a steady rate, each row's commit to the broker's ack of
 * its record (and to its mark as published, which follows), beside the raw producer's send to ack at the same rate.
 */
final class RelayLimits {

    private static final Duration LIMIT = Duration.ofMinutes(5);
    private static final int ORDERS = 1000;
    /** Untimed drains before the measured one: JIT compilation of the relay's path is not what it costs for good. */
    static final int WARM_UP_DRAINS = 4;
    /** The paced relay's topics: its records alone, read back to match each ack to its row. */
    private static final String PACED_PREFIX = RelayBench.PREFIX + "paced-relay.";

    /**
     * What every process of the machine spent on one phase, over its wall time: whether the phase was bound by the
     * machine's cores, and what each row cost.
     */
    record Spent(double seconds, Map<String, Resources.Usage> processes) {

        static Spent of(Resources resources) {
            Map<String, Resources.Usage> processes = resources.stop();
            return new Spent(resources.seconds(), processes);
        }

        @JsonProperty
        double coresBusy() {
            return Math.round(Resources.totalCpuSeconds(processes) / seconds * 100) / 100.0;
        }

        double cpuMicrosPerRow(int rows) {
            return Math.round(Resources.totalCpuSeconds(processes) / rows * 1e6);
        }
    }

    record Drain(
            int rows,
            double relayPerSecond,
            double sqlCyclePerSecond,
            double relayToSqlCycle,
            Spent relaySpent,
            Spent sqlCycleSpent) {}

    /**
     * @param relay each row's commit to the broker's ack of its record, as the relay's producer received it
     * @param relayMarked each row's commit to its mark as published, after the acks of its batch
     * @param rawProducer send to ack of the same number of records at the same rate
     */
    record Paced(
            double rate,
            int events,
            Latencies.Summary relay,
            Latencies.Summary relayMarked,
            Latencies.Summary rawProducer,
            Spent relaySpent,
            Spent rawProducerSpent) {}

    private RelayLimits() {}

    /**
     * Drains the backlog {@link #WARM_UP_DRAINS} times untimed, the SQL cycle and the relay alike, so that the JIT
     * compilers of the benchmark's JVM and the broker have compiled both paths, then once measured.
     *
     * @param processes the machine's processes, measured in each phase
     */
    static Drain drain(
            LocalPostgres postgres, String bootstrapServers, int rows, int batchSize, Map<String, Long> processes)
            throws Exception {
        String database = "relay_drain";
        postgres.createDatabase(database);
        Function<String, Producer<String, byte[]>> producers = OutboxRelay.producers(bootstrapServers);
        try (HikariDataSource outbox = RelayBench.pool(postgres, database, 2, "drain")) {
            ServiceSchema.INVENTORY.migrate(outbox, false);
            for (int warmUp = 0; warmUp < WARM_UP_DRAINS; warmUp++) {
                sqlCycleDrain(outbox, rows, batchSize, processes);
                relayDrain(outbox, producers, rows, batchSize, processes);
            }
            Spent sqlCycle = sqlCycleDrain(outbox, rows, batchSize, processes);
            Spent relay = relayDrain(outbox, producers, rows, batchSize, processes);
            double relayPerSecond = rows / relay.seconds();
            double sqlPerSecond = rows / sqlCycle.seconds();
            return new Drain(
                    rows,
                    Math.round(relayPerSecond),
                    Math.round(sqlPerSecond),
                    Math.round(relayPerSecond / sqlPerSecond * 1000) / 1000.0,
                    relay,
                    sqlCycle);
        }
    }

    private static Spent sqlCycleDrain(DataSource outbox, int rows, int batchSize, Map<String, Long> processes)
            throws SQLException {
        execute(outbox, "TRUNCATE outbox");
        fill(outbox, rows);
        Resources resources = Resources.measure(processes);
        sqlCycles(outbox, batchSize);
        return Spent.of(resources);
    }

    /**
     * The real relay draining the backlog, timed from its start to its last mark: waiting for it to notice that the
     * outbox is empty, and for it to stop, is no part of the drain.
     */
    private static Spent relayDrain(
            DataSource outbox,
            Function<String, Producer<String, byte[]>> producers,
            int rows,
            int batchSize,
            Map<String, Long> processes)
            throws Exception {
        execute(outbox, "TRUNCATE outbox");
        fill(outbox, rows);
        Resources resources = Resources.measure(processes);
        Instant started = Instant.now();
        Map<String, Resources.Usage> spent;
        try (OutboxRelay relay = RelayBench.relay(outbox, producers, RelayBench.PREFIX, batchSize)
                .start()) {
            RelayBench.awaitPublished(outbox);
            spent = resources.stop();
        }
        return new Spent(Duration.between(started, lastMark(outbox)).toNanos() / 1e9, spent);
    }

    private static Instant lastMark(DataSource outbox) throws SQLException {
        try (Connection connection = outbox.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT max(published_at) FROM outbox")) {
            row.next();
            return row.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    static Paced paced(
            LocalPostgres postgres,
            String bootstrapServers,
            double rate,
            Duration duration,
            int batchSize,
            Map<String, Long> processes)
            throws Exception {
        String database = "relay_paced";
        postgres.createDatabase(database);
        int events = (int) (rate * duration.toSeconds());
        Function<String, Producer<String, byte[]>> producers = transactionalId -> {
            Properties timedAcks = OutboxRelay.transactionalProducerProperties(bootstrapServers, transactionalId);
            timedAcks.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, AckTimes.class.getName());
            return new KafkaProducer<>(timedAcks);
        };
        try (HikariDataSource outbox = RelayBench.pool(postgres, database, 6, "paced")) {
            ServiceSchema.INVENTORY.migrate(outbox, false);
            Resources resources = Resources.measure(processes);
            Map<Integer, Instant> commits = new ConcurrentHashMap<>();
            try (OutboxRelay relay =
                    RelayBench.relay(outbox, producers, PACED_PREFIX, batchSize).start()) {
                paceWrites(outbox, rate, events, commits);
                RelayBench.awaitPublished(outbox);
            }
            Spent relaySpent = Spent.of(resources);
            Map<UUID, Instant> acked = ackTimes(bootstrapServers, events);
            Latencies relay = new Latencies();
            Latencies relayMarked = new Latencies();
            try (Connection connection = outbox.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows =
                            statement.executeQuery("SELECT id, (payload ->> 'n')::int, published_at FROM outbox")) {
                while (rows.next()) {
                    Instant committed = commits.get(rows.getInt(2));
                    Instant ack = acked.get(rows.getObject(1, UUID.class));
                    if (ack == null) {
                        throw new IllegalStateException("no ack was seen for outbox row " + rows.getObject(1));
                    }
                    Instant marked = rows.getObject(3, OffsetDateTime.class).toInstant();
                    // the relay may publish a row before its writer hears that the commit returned
                    relay.add(Math.max(0, Duration.between(committed, ack).toNanos()));
                    relayMarked.add(
                            Math.max(0, Duration.between(committed, marked).toNanos()));
                }
            }
            resources = Resources.measure(processes);
            Latencies.Summary rawProducer = paceRawSends(bootstrapServers, rate, events);
            return new Paced(
                    rate, events, relay.summary(), relayMarked.summary(), rawProducer, relaySpent, Spent.of(resources));
        }
    }

    /** When the broker acknowledged each paced row's record, by the row's id (the record's {@code id} header). */
    private static Map<UUID, Instant> ackTimes(String bootstrapServers, int events) {
        Map<UUID, Instant> acked = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : RelayBench.readBack(bootstrapServers, PACED_PREFIX, events)) {
            Instant ack = AckTimes.of(record.topic(), record.partition(), record.offset());
            if (ack != null) {
                acked.put(
                        UUID.fromString(
                                new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8)),
                        ack);
            }
        }
        return acked;
    }

    /** {@code rows} pending rows of about the size of the real events, written in one statement. */
    private static void fill(DataSource outbox, int rows) throws SQLException {
        try (Connection connection = outbox.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, schema_version,
                                            correlation_id)
                        SELECT gen_random_uuid(), 'inventory', 'bench-order-' || (n % ?), 'BenchEvent',
                               jsonb_build_object('orderId', 'bench-order-' || (n % ?), 'n', n,
                                                  'sku', 'sku-' || (n % 97), 'detail', repeat('x', 120)),
                               1, 'order-bench-order-' || (n % ?)
                        FROM generate_series(1, ?) n""")) {
            insert.setInt(1, ORDERS);
            insert.setInt(2, ORDERS);
            insert.setInt(3, ORDERS);
            insert.setInt(4, rows);
            insert.executeUpdate();
        }
        execute(outbox, "VACUUM ANALYZE outbox");
    }

    /** The relay's database work alone: pending rows read in order, a batch at a time, and marked. */
    private static void sqlCycles(DataSource outbox, int batchSize) throws SQLException {
        try (Connection connection = outbox.getConnection();
                PreparedStatement pending = connection.prepareStatement("""
                        SELECT seq, id, aggregatetype, aggregateid, type, payload::text, schema_version,
                               correlation_id, traceparent
                        FROM outbox WHERE published_at IS NULL AND parked_at IS NULL ORDER BY seq LIMIT ?
                        FOR UPDATE SKIP LOCKED""");
                PreparedStatement mark = connection.prepareStatement(
                        "UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY (?)")) {
            connection.setAutoCommit(false);
            pending.setInt(1, batchSize);
            while (true) {
                List<Long> seqs = new ArrayList<>(batchSize);
                try (ResultSet rows = pending.executeQuery()) {
                    while (rows.next()) {
                        seqs.add(rows.getLong(1));
                    }
                }
                if (seqs.isEmpty()) {
                    connection.commit();
                    return;
                }
                mark.setArray(1, connection.createArrayOf("bigint", seqs.toArray()));
                mark.executeUpdate();
                connection.commit();
            }
        }
    }

    /**
     * One event per transaction at {@code rate}, from as many writers as it takes to keep the pace; when each
     * commit returned goes to {@code commits}, by the event's number. (A row's {@code created_at} is its
     * transaction's start, which can be well before the commit when commits queue.)
     */
    private static void paceWrites(DataSource outbox, double rate, int events, Map<Integer, Instant> commits)
            throws Exception {
        OutboxWriter writer = new OutboxWriter(SagaService.INVENTORY);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        CountDownLatch written = new CountDownLatch(events);
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        try {
            for (int n = 0; n < events; n++) {
                OpenLoop.sleepUntil(start + n * interval);
                int number = n;
                writers.execute(() -> {
                    try (Connection connection = outbox.getConnection()) {
                        connection.setAutoCommit(false);
                        writer.append(
                                connection,
                                new RelayBench.BenchEvent(
                                        "bench-order-" + (number % ORDERS),
                                        number,
                                        "sku-" + (number % 97),
                                        "x".repeat(120)));
                        connection.commit();
                        commits.put(number, Instant.now());
                    } catch (SQLException e) {
                        throw new IllegalStateException("writing the outbox failed", e);
                    } finally {
                        written.countDown();
                    }
                });
            }
            if (!written.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("writing " + events + " paced rows took longer than " + LIMIT);
            }
        } finally {
            writers.shutdownNow();
        }
    }

    /** The raw producer at the same pace, with the relay's settings: each send's time to its ack. */
    private static Latencies.Summary paceRawSends(String bootstrapServers, double rate, int events)
            throws InterruptedException {
        String topic = EventTopics.topic(RelayBench.PREFIX + "paced.", SagaService.INVENTORY);
        Latencies latencies = new Latencies();
        CountDownLatch acked = new CountDownLatch(events);
        AtomicLong failures = new AtomicLong();
        byte[] value = "x".repeat(300).getBytes(StandardCharsets.UTF_8);
        long interval = (long) (1e9 / rate);
        try (Producer<String, byte[]> producer =
                new KafkaProducer<>(OutboxRelay.producerProperties(bootstrapServers))) {
            long start = System.nanoTime();
            for (int n = 0; n < events; n++) {
                OpenLoop.sleepUntil(start + n * interval);
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, "bench-order-" + (n % ORDERS), value), (metadata, error) -> {
                    if (error == null) {
                        latencies.add(System.nanoTime() - sent);
                    } else {
                        failures.incrementAndGet();
                    }
                    acked.countDown();
                });
            }
            if (!acked.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS) || failures.get() > 0) {
                throw new IllegalStateException("the raw producer's paced sends were not all acknowledged");
            }
        }
        return latencies.summary();
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
