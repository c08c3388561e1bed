package org.ordersaga.orderview;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ordersaga.db.DataAccessException;
import org.ordersaga.db.Transactions;
import org.ordersaga.outbox.EventEnvelope;
import org.ordersaga.outbox.EventTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side: consumes the four event topics and keeps {@code order_view} (per order: status, total, failure)
 * and {@code order_events} (the timeline). At least once from Kafka, exactly once in effect: each event is applied
 * in one transaction together with its {@code processed_events} row, with the other events of its poll. The offsets
 * of applied events are committed at most once a {@link ProjectionSettings#commitInterval() commit interval}, and
 * before partitions are revoked (on a rebalance and on close): a commit per event would cost the broker a request per
 * event, and what a crash leaves uncommitted comes again and changes nothing.
 *
 * <p>A message that cannot be applied ({@link ProjectionSettings#maxAttempts()} times) goes to
 * {@code <topic>.dlq}, with headers saying why and from where, and the projection goes on. A database that is down
 * is waited out instead: a valid event is never dead-lettered for an outage.
 */
public final class OrderViewProjection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrderViewProjection.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final Transactions transactions;
    private final OrderViewRepository repository = new OrderViewRepository();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Producer<String, byte[]> deadLetters;
    private final ProjectionSettings settings;
    private final Counter applied;
    private final Counter deadLettered;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private final AtomicLong lag = new AtomicLong();
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private long lastCommitNanos = System.nanoTime();

    private static Properties consumerProperties(String bootstrapServers, String groupId, Duration batchWait) {
        Properties properties = new Properties();
        // the broker answers a fetch once it holds this much for it, or after the batch wait
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1 << 20);
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) batchWait.toMillis());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    /**
     * @param deadLetters a producer for {@code <topic>.dlq}, e.g. with the relay's producer properties
     * @param openTelemetry traces applying each event, in the trace that wrote it
     */
    public OrderViewProjection(
            DataSource orderViewDataSource,
            String bootstrapServers,
            Producer<String, byte[]> deadLetters,
            ProjectionSettings settings,
            MeterRegistry meters,
            OpenTelemetry openTelemetry) {
        this.transactions = new Transactions(orderViewDataSource);
        this.consumer =
                new KafkaConsumer<>(consumerProperties(bootstrapServers, settings.groupId(), settings.batchWait()));
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.applied = meters.counter("order.view.applied", "consumer", settings.groupId());
        this.deadLettered = meters.counter("order.view.dead.lettered", "consumer", settings.groupId());
        Gauge.builder("order.view.lag.events", lag, AtomicLong::get)
                .tag("consumer", settings.groupId())
                .description("events on this replica's partitions that the order view has not applied yet")
                .register(meters);
        this.tracer = openTelemetry.getTracer(OrderViewProjection.class.getName());
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.thread = new Thread(this::run, "order-view-projection");
        this.thread.setDaemon(true);
    }

    public OrderViewProjection start() {
        if (settings.rebuild()) {
            transactions.inTransaction(connection -> {
                repository.clear(connection, settings.groupId());
                return null;
            });
            LOG.info("order view cleared; rebuilding from the beginning of every topic");
        }
        thread.start();
        return this;
    }

    @Override
    public void close() {
        stopping.countDown();
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean running() {
        return stopping.getCount() > 0;
    }

    private void run() {
        try (consumer) {
            consumer.subscribe(EventTopics.all(settings.topicPrefix()), new Rebalances());
            try {
                while (running()) {
                    pollOnce();
                }
            } catch (WakeupException stopped) {
                // close() interrupts the poll
            }
        }
    }

    private void pollOnce() {
        try {
            ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
            if (!records.isEmpty() && !handle(records)) {
                return;
            }
            for (TopicPartition partition : records.partitions()) {
                List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
                uncommitted.put(
                        partition,
                        new OffsetAndMetadata(
                                inPartition.get(inPartition.size() - 1).offset() + 1));
            }
            commitWhenDue();
            lag.set(currentLag());
        } catch (WakeupException stopped) {
            throw stopped;
        } catch (KafkaException e) {
            // uncommitted records come again, and applying an event twice changes nothing
            LOG.warn("order view: Kafka failure, retrying: {}", e.toString());
            pause(settings.retryBackoff());
        }
    }

    /** From the positions and log ends the consumer last fetched: no request to the broker. */
    private long currentLag() {
        long behind = 0;
        for (TopicPartition partition : consumer.assignment()) {
            behind += consumer.currentLag(partition).orElse(0);
        }
        return behind;
    }

    private void commitWhenDue() {
        long now = System.nanoTime();
        if (uncommitted.isEmpty()
                || now - lastCommitNanos < settings.commitInterval().toNanos()) {
            return;
        }
        consumer.commitAsync(Map.copyOf(uncommitted), OrderViewProjection::onCommitted);
        uncommitted.clear();
        lastCommitNanos = now;
    }

    /**
     * Commits what was applied before partitions move, so that their next owner does not apply it again. Closing the
     * consumer revokes them all, so this is also the last commit of a projection that stops.
     */
    private final class Rebalances implements ConsumerRebalanceListener {
        private boolean rewound;

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                consumer.commitSync(uncommitted);
            } finally {
                uncommitted.clear();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another member owns them already: our commit would be refused
            uncommitted.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (settings.rebuild() && !rewound) {
                consumer.seekToBeginning(partitions);
                rewound = true;
            }
        }
    }

    private static void onCommitted(Map<TopicPartition, OffsetAndMetadata> offsets, Exception failure) {
        if (failure != null) {
            // the next commit carries these offsets or later ones
            LOG.warn("order view: committing offsets failed: {}", failure.toString());
        }
    }

    /**
     * Applies a poll's records in one transaction, rather than a commit per event. When one of them cannot be applied,
     * they are applied one at a time instead, so that only that one goes to the dead-letter topic. True when every record is applied or dead-lettered; false when the
     * projection stopped first.
     */
    private boolean handle(ConsumerRecords<String, byte[]> records) {
        Map<ConsumerRecord<String, byte[]>, Span> spans = new IdentityHashMap<>();
        records.forEach(record -> spans.put(record, span(record)));
        try {
            return handle(records, spans);
        } finally {
            spans.values().forEach(Span::end);
        }
    }

    private boolean handle(ConsumerRecords<String, byte[]> records, Map<ConsumerRecord<String, byte[]>, Span> spans) {
        while (running()) {
            try {
                List<EventEnvelope> events = new ArrayList<>(records.count());
                for (ConsumerRecord<String, byte[]> record : records) {
                    events.add(EventEnvelope.parse(record.value()));
                }
                apply(events);
                return true;
            } catch (DataAccessException databaseDown) {
                LOG.warn(
                        "order view: database unavailable, retrying {} events: {}",
                        records.count(),
                        databaseDown.toString());
                pause(settings.retryBackoff());
            } catch (RuntimeException unusable) {
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!handle(record, spans.get(record))) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** True when the record is applied or dead-lettered; false when the projection stopped first. */
    private boolean handle(ConsumerRecord<String, byte[]> record, Span span) {
        for (int attempt = 1; running(); attempt++) {
            try {
                apply(List.of(EventEnvelope.parse(record.value())));
                return true;
            } catch (DataAccessException databaseDown) {
                LOG.warn("order view: database unavailable, retrying {}: {}", where(record), databaseDown.toString());
                attempt--;
            } catch (RuntimeException unusable) {
                if (attempt >= settings.maxAttempts()) {
                    if (deadLetter(record, unusable)) {
                        span.setStatus(StatusCode.ERROR, "dead-lettered: " + unusable);
                        return true;
                    }
                    attempt--;
                }
            }
            pause(settings.retryBackoff());
        }
        return false;
    }

    /**
     * Records the events not applied before, each as the newest version of its type, then recomputes the view of each
     * order they belong to from its whole timeline, once per order however many of its events came. An event of a
     * type or version the projection does not read is refused first (and dead-lettered after its attempts).
     */
    private void apply(List<EventEnvelope> published) {
        // an event the projection cannot read must never reach the timeline, where it would spoil its order's reads
        List<EventEnvelope> events =
                published.stream().map(EventUpcaster::upcast).toList();
        int fresh = transactions.inTransaction(connection -> {
            List<EventEnvelope> unseen = repository.markProcessed(connection, settings.groupId(), events);
            if (unseen.isEmpty()) {
                return 0;
            }
            SortedSet<String> orderIds = new TreeSet<>();
            unseen.forEach(event -> orderIds.add(event.orderId()));
            repository.lockOrders(connection, orderIds);
            repository.insertEvents(connection, unseen);
            List<OrderView> views = new ArrayList<>();
            repository
                    .timelines(connection, orderIds)
                    .forEach((orderId, timeline) -> views.add(OrderView.of(orderId, timeline)));
            repository.upsert(connection, views);
            return unseen.size();
        });
        applied.increment(fresh);
    }

    /** False when the dead-letter topic could not take it; the caller tries again. */
    private boolean deadLetter(ConsumerRecord<String, byte[]> record, RuntimeException reason) {
        String topic = EventTopics.deadLetter(record.topic());
        ProducerRecord<String, byte[]> letter =
                new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers());
        letter.headers().add("dlq.reason", reason.toString().getBytes(StandardCharsets.UTF_8));
        letter.headers().add("dlq.source", where(record).getBytes(StandardCharsets.UTF_8));
        try {
            deadLetters.send(letter).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            LOG.warn("order view: cannot send {} to {} yet: {}", where(record), topic, e.toString());
            return false;
        }
        deadLettered.increment();
        LOG.error(
                "order view: sent {} to {} after {} attempts: {}",
                where(record),
                topic,
                settings.maxAttempts(),
                reason.toString());
        return true;
    }

    /**
     * A span for applying the record, in the trace of the transaction that wrote its event ({@code traceparent}), which
     * the relay passed on: a message's processing, in OpenTelemetry's messaging conventions.
     */
    private Span span(ConsumerRecord<String, byte[]> record) {
        Context written = propagator.extract(Context.root(), record.headers(), KafkaHeaders.GETTER);
        return tracer.spanBuilder("process " + record.topic())
                .setParent(written)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.name", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.consumer.group.name", settings.groupId())
                .setAttribute("messaging.kafka.message.key", record.key())
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
    }

    /** Reads a trace context from a record's headers. */
    private enum KafkaHeaders implements TextMapGetter<Headers> {
        GETTER;

        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
