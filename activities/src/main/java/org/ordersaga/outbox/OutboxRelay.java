package org.ordersaga.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ordersaga.activity.OrderLogContext;
import org.ordersaga.saga.SagaService;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Publishes one service's outbox to Kafka, at least once and in commit order per order. Every replica of a
 * service's worker runs one; the one holding the outbox's advisory lock publishes, the others stand by and take
 * over within {@link RelaySettings#standbyInterval()} when its database session ends.
 *
 * <p>Idle, it wakes on the outbox's NOTIFY, or after {@link RelaySettings#pollInterval()} at the latest; busy, it
 * looks every few milliseconds. It publishes pending rows in {@code seq} order, keyed by order id, so all events of
 * an order land in one partition in order. A row is marked published only once the broker acknowledged it: a crash
 * in between publishes it again, with the same event id. While the broker is down it keeps the lock and backs off. A
 * row the broker refuses for good (too large) is parked with its error and skipped, counted in
 * {@code outbox.relay.parked}.
 *
 * <p>Each round is one Kafka transaction, committed only when the broker took every record of it; consumers read
 * with {@code isolation.level=read_committed}. Without it a round could be written with a hole: when a batch of an
 * idempotent producer expires (a broker restart), the producer renumbers the partition and sends the batches behind
 * it, so an order's later event (PaymentRefunded) was on Kafka before its earlier one (PaymentCharged) was sent
 * again. A failed round is aborted instead, and its producer discarded: the next one, under the same transactional id
 * ({@link RelaySettings#transactionalId}), fences any replica still holding a producer and aborts its open round.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int RETENTION_BATCH = 1000;
    private static final int RETENTION_BATCHES_PER_ROUND = 10;
    private static final int LOOKS_BEFORE_IDLE = 2;
    /** Rows gather this long for the next round while busy: at most this much latency, for rounds of many rows. */
    private static final Duration BUSY_PAUSE = Duration.ofMillis(5);
    /** How often the active relay measures its outbox's backlog, which its gauges report. */
    private static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final SagaService service;
    private final Function<String, Producer<String, byte[]>> producers;
    private final RelaySettings settings;
    private final OutboxRepository repository = new OutboxRepository();
    private final AtomicBoolean active = new AtomicBoolean();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Counter published;
    private final Counter parked;
    private final Thread thread;
    private final AtomicReference<OutboxRepository.Backlog> backlog = new AtomicReference<>();
    private long nextRetentionAt;
    private long nextBacklogAt;
    /** The active relay's producer, opened at its first round and discarded after a failed one; relay thread only. */
    private Producer<String, byte[]> producer;

    /** Recommended producer settings: idempotent, every in-sync replica acknowledges, bounded waits. */
    public static Properties producerProperties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return properties;
    }

    /** The recommended settings, committing under {@code transactionalId}: what a relay's producer runs with. */
    public static Properties transactionalProducerProperties(String bootstrapServers, String transactionalId) {
        Properties properties = producerProperties(bootstrapServers);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return properties;
    }

    /** Relays' producers on {@code bootstrapServers}, with the recommended settings. */
    public static Function<String, Producer<String, byte[]>> producers(String bootstrapServers) {
        return transactionalId ->
                new KafkaProducer<>(transactionalProducerProperties(bootstrapServers, transactionalId));
    }

    /**
     * @param producers opens a producer with the given transactional id, such as {@link #producers(String)}; a relay
     *     opens one when it becomes active, and again after a failed round
     */
    public OutboxRelay(
            DataSource dataSource,
            SagaService service,
            Function<String, Producer<String, byte[]>> producers,
            RelaySettings settings,
            MeterRegistry meters) {
        this.dataSource = dataSource;
        this.service = service;
        this.producers = producers;
        this.settings = settings;
        this.published = meters.counter("outbox.relay.published", "service", service.id());
        this.parked = meters.counter("outbox.relay.parked", "service", service.id());
        Gauge.builder("outbox.relay.active", active, a -> a.get() ? 1 : 0)
                .tag("service", service.id())
                .description("1 while this replica's relay holds the outbox's lock and publishes")
                .register(meters);
        // Only the active relay measures the backlog: a standby reports NaN, which max() across replicas skips.
        Gauge.builder("outbox.pending.rows", backlog, measured -> backlogOr(measured, OutboxRepository.Backlog::rows))
                .tag("service", service.id())
                .description("outbox rows waiting to be published, as the active relay last counted them")
                .register(meters);
        TimeGauge.builder(
                        "outbox.oldest.pending.age",
                        backlog,
                        TimeUnit.SECONDS,
                        measured -> backlogOr(measured, OutboxRepository.Backlog::oldestAgeSeconds))
                .tag("service", service.id())
                .description("how long the oldest unpublished outbox row has waited")
                .register(meters);
        this.thread = new Thread(this::run, "outbox-relay-" + service.id());
        this.thread.setDaemon(true);
    }

    public OutboxRelay start() {
        thread.start();
        return this;
    }

    /** True while this relay holds the lock and publishes. */
    public boolean isActive() {
        return active.get();
    }

    /** Stops after the round in flight; rows it published but did not mark are published again by the next relay. */
    @Override
    public void close() {
        stopping.countDown();
        try {
            thread.join(settings.pollInterval().plusSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean running() {
        return stopping.getCount() > 0;
    }

    private void run() {
        int failures = 0;
        while (running()) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                if (!repository.tryLock(connection)) {
                    pause(settings.standbyInterval());
                    continue;
                }
                try {
                    active.set(true);
                    failures = 0;
                    LOG.info("outbox relay for {} is active", service.id());
                    relayWhileActive(connection);
                } finally {
                    active.set(false);
                    backlog.set(null);
                    discardProducer();
                    // A pooled connection outlives this session: left locked, it would keep every relay standing by.
                    repository.endSession(connection);
                }
            } catch (SQLException | RuntimeException e) {
                failures++;
                LOG.warn(
                        "outbox relay for {} lost its database connection (failure {}): {}",
                        service.id(),
                        failures,
                        e.toString());
                pause(backoff(failures));
            }
        }
    }

    /**
     * Publishes until stopped; the broker's failures are waited out here, with the lock kept.
     *
     * <p>Idle, it listens for the outbox's NOTIFY, and a commit wakes it. When a round finds more than one row, commits
     * come faster than it wakes: it stops listening and looks every {@link #BUSY_PAUSE} (full rounds follow each other
     * at once), and after {@link #LOOKS_BEFORE_IDLE} empty looks listens again. Subscribed under a steady stream of
     * commits, every wait would linger, since the driver goes on reading for as long as notifications keep arriving
     * within a millisecond of each other (pgjdbc issue 1547); and a round per row would cost a query, a Kafka request
     * and a commit per row.
     */
    private void relayWhileActive(Connection connection) throws SQLException {
        int brokerFailures = 0;
        int emptyLooks = 0;
        boolean listening = false;
        while (running()) {
            deleteOldPublishedRows(connection);
            measureBacklog(connection);
            int relayed;
            try {
                relayed = relayPending(connection);
                brokerFailures = 0;
            } catch (BrokerUnavailable e) {
                brokerFailures++;
                LOG.warn(
                        "outbox relay for {}: broker unavailable (failure {}), backing off: {}",
                        service.id(),
                        brokerFailures,
                        e.getCause().toString());
                pause(backoff(brokerFailures));
                continue;
            }
            if (listening) {
                if (relayed > 1) {
                    // commits come faster than it wakes: gather them by looking, not by waking on each
                    repository.unlisten(connection, channel());
                    listening = false;
                    emptyLooks = 0;
                } else {
                    // a row its look missed was committed after it, and that commit notifies
                    connection.unwrap(PGConnection.class).getNotifications((int)
                            settings.pollInterval().toMillis());
                }
            } else {
                emptyLooks = relayed == 0 ? emptyLooks + 1 : 0;
                if (emptyLooks > LOOKS_BEFORE_IDLE) {
                    // rows committed since the last look notified nobody: listen first, then look once more
                    repository.listen(connection, channel());
                    listening = true;
                } else {
                    pause(BUSY_PAUSE);
                }
            }
        }
    }

    /** The outbox's trigger notifies outbox_<schema>, and a service's schema is named after it. */
    private String channel() {
        return "outbox_" + service.id();
    }

    /**
     * Publishes pending rows in rounds of at most a batch, for as long as rounds come full, each round one
     * transaction. The next round's rows are read while the broker acknowledges this round's, and marked while the
     * broker takes the next: the database and the broker work side by side. A round is sent only once the one before
     * it committed, and a round the broker did not take whole is aborted, so no later event of an order is ever read
     * before an earlier one.
     *
     * @return the rows relayed, or looked at again at once after a round that parked some
     */
    private int relayPending(Connection connection) throws SQLException {
        List<OutboxRow> rows = repository.pending(connection, settings.batchSize(), List.of());
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = sendRound(rows);
        int relayed = 0;
        while (!rows.isEmpty()) {
            // a round the producer would not queue whole ends the run: its unsent rows come first next time
            boolean full = rows.size() == settings.batchSize() && acks.size() == rows.size();
            List<OutboxRow> next =
                    full && running() ? repository.pending(connection, settings.batchSize(), rows) : List.of();
            producer.flush();
            List<Long> delivered = new ArrayList<>(rows.size());
            Throwable unavailable = settle(connection, rows, acks, delivered);
            if (delivered.size() < rows.size()) {
                // some of the round may be written: aborted, none of it is read, and it all goes again
                discardProducer();
                if (unavailable != null) {
                    throw new BrokerUnavailable(unavailable);
                }
                return relayed + rows.size(); // the rest of the round goes again at once, without the parked rows
            }
            commitRound();
            List<Future<RecordMetadata>> nextAcks = next.isEmpty() ? List.of() : sendRound(next);
            repository.markPublished(connection, delivered);
            published.increment(delivered.size());
            relayed += rows.size();
            rows = next;
            acks = nextAcks;
        }
        return relayed;
    }

    /** Opens a transaction and sends the rows in it, in order. */
    private List<Future<RecordMetadata>> sendRound(List<OutboxRow> rows) {
        Producer<String, byte[]> producer = producer();
        try {
            producer.beginTransaction();
        } catch (KafkaException e) {
            discardProducer();
            throw new BrokerUnavailable(e);
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            Future<RecordMetadata> ack = send(row);
            acks.add(ack);
            if (ack.isDone() && failureOf(ack) != null) {
                break; // the producer cannot even queue: each further send would block up to max.block.ms
            }
        }
        return acks;
    }

    private void commitRound() {
        try {
            producer.commitTransaction();
        } catch (KafkaException e) {
            // committed or not, its rows stay unmarked and go again: at least once
            discardProducer();
            throw new BrokerUnavailable(e);
        }
    }

    /**
     * The producer, opened on first use under the outbox's transactional id. Opening it fences every earlier producer
     * under that id, a replica's that lost its lock or died, and aborts the round it left open.
     */
    private Producer<String, byte[]> producer() {
        if (producer == null) {
            Producer<String, byte[]> opened = producers.apply(settings.transactionalId(service));
            try {
                opened.initTransactions();
            } catch (KafkaException e) {
                opened.close(Duration.ZERO);
                throw new BrokerUnavailable(e);
            }
            producer = opened;
        }
        return producer;
    }

    /** Closes the producer without waiting: its open transaction, if any, is aborted by the next one's opening. */
    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    /**
     * Waits for the acks of a round: adds the acknowledged rows to {@code delivered}, parks those the broker refused
     * for good, and records the error of the others.
     *
     * @return why the broker did not take some rows, when that may pass; null when it took or refused every one
     */
    private Throwable settle(
            Connection connection, List<OutboxRow> rows, List<Future<RecordMetadata>> acks, List<Long> delivered)
            throws SQLException {
        Throwable unavailable = null;
        for (int i = 0; i < acks.size(); i++) {
            OutboxRow row = rows.get(i);
            Throwable failure = failureOf(acks.get(i));
            if (failure == null) {
                delivered.add(row.seq());
            } else if (isPermanent(failure)) {
                repository.recordFailure(connection, row.id(), failure.toString(), true);
                parked.increment();
                try (MDC.MDCCloseable order = MDC.putCloseable(OrderLogContext.ORDER_ID, row.aggregateId())) {
                    LOG.error(
                            "outbox relay for {}: parked event {} ({} of order {}), the broker refused it: {}",
                            service.id(),
                            row.id(),
                            row.type(),
                            row.aggregateId(),
                            failure.toString());
                }
            } else {
                repository.recordFailure(connection, row.id(), failure.toString(), false);
                unavailable = failure;
            }
        }
        return unavailable;
    }

    private Future<RecordMetadata> send(OutboxRow row) {
        ProducerRecord<String, byte[]> record = CloudEvents.record(settings.topic(row.aggregateType()), row);
        Headers headers = record.headers();
        headers.add("id", row.id().toString().getBytes(StandardCharsets.UTF_8));
        headers.add("type", row.type().getBytes(StandardCharsets.UTF_8));
        headers.add("schemaVersion", Integer.toString(row.schemaVersion()).getBytes(StandardCharsets.UTF_8));
        if (row.traceparent() != null) {
            headers.add("traceparent", row.traceparent().getBytes(StandardCharsets.UTF_8));
        }
        try {
            return producer.send(record);
        } catch (KafkaException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Throwable failureOf(Future<RecordMetadata> ack) {
        try {
            ack.get(60, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (TimeoutException e) {
            return e;
        }
    }

    private static boolean isPermanent(Throwable failure) {
        return failure instanceof RecordTooLargeException || failure instanceof InvalidRecordException;
    }

    private void deleteOldPublishedRows(Connection connection) throws SQLException {
        if (System.nanoTime() < nextRetentionAt) {
            return;
        }
        nextRetentionAt = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        for (int round = 0; round < RETENTION_BATCHES_PER_ROUND; round++) {
            if (repository.deletePublished(connection, settings.retention(), RETENTION_BATCH) < RETENTION_BATCH) {
                return;
            }
        }
    }

    private void measureBacklog(Connection connection) throws SQLException {
        if (System.nanoTime() < nextBacklogAt) {
            return;
        }
        nextBacklogAt = System.nanoTime() + BACKLOG_INTERVAL.toNanos();
        backlog.set(repository.backlog(connection));
    }

    private static double backlogOr(
            AtomicReference<OutboxRepository.Backlog> measured, ToDoubleFunction<OutboxRepository.Backlog> value) {
        OutboxRepository.Backlog last = measured.get();
        return last == null ? Double.NaN : value.applyAsDouble(last);
    }

    private Duration backoff(int failures) {
        long millis = 500L << Math.min(failures - 1, 16);
        return Duration.ofMillis(Math.min(millis, settings.maxBackoff().toMillis()));
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The broker did not acknowledge some rows for a reason that may pass. */
    private static final class BrokerUnavailable extends RuntimeException {
        BrokerUnavailable(Throwable cause) {
            super(cause);
        }
    }
}
