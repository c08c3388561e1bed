package org.ordersaga.chaos;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ordersaga.local.LocalStack;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.saga.SagaService;

/**
 * Crashes a service's outbox relay between publishing events and marking them published, the window its
 * at-least-once promise is about. A session of its own locks the outbox's pending rows: the relay reads them
 * (reading takes no lock), publishes them, and waits on the lock to mark them. Once they are on Kafka and the relay's
 * mark is waiting, the relay's worker is killed; its waiting statement is ended, as PostgreSQL ends a dead client's
 * session when it notices, and the lock released. The rows stay unpublished in the outbox though their events are on
 * Kafka: the next relay publishes them again, and consumers see repeats.
 */
final class RelayCrash {

    private static final Duration LOOK_EVERY = Duration.ofMillis(50);

    private RelayCrash() {}

    /**
     * Crashes {@code service}'s relay with {@code killWorker} once it is caught in the window; returns how many events
     * it had published and not marked, or 0 when it was not caught within {@code limit}.
     */
    static int crash(Sql sql, String kafkaBootstrapServers, SagaService service, Runnable killWorker, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Set<String> onKafka = new HashSet<>();
        try (KafkaConsumer<String, byte[]> topic = fromTheBeginning(kafkaBootstrapServers, service);
                Connection lock = sql.connect(service.id())) {
            lock.setAutoCommit(false);
            while (System.nanoTime() < deadline) {
                Set<String> locked = strings(lock, """
                        SELECT id::text FROM outbox WHERE published_at IS NULL AND parked_at IS NULL FOR UPDATE""");
                while (!locked.isEmpty() && System.nanoTime() < deadline) {
                    // the relay marks a round only once it committed it, so a relay waiting on us has published it;
                    // read from the beginning, a round committed before this look is seen too
                    for (ConsumerRecord<String, byte[]> record : topic.poll(LOOK_EVERY)) {
                        onKafka.add(new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8));
                    }
                    Set<String> published = new HashSet<>(locked);
                    published.retainAll(onKafka);
                    if (!published.isEmpty() && !strings(lock, WAITING_ON_US).isEmpty()) {
                        killWorker.run();
                        strings(lock, "SELECT pg_terminate_backend(pid)::text FROM (" + WAITING_ON_US + ") waiting");
                        lock.rollback();
                        return published.size();
                    }
                }
                lock.rollback();
                LocalStack.pause(LOOK_EVERY);
            }
            return 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot hold " + service.id() + "'s outbox rows", e);
        }
    }

    private static final String WAITING_ON_US =
            "SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))";

    /** A reader of the service's topic from its first record, as consumers read it (committed rounds only). */
    private static KafkaConsumer<String, byte[]> fromTheBeginning(String bootstrapServers, SagaService service) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        String name = EventTopics.topic("", service);
        List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
                .map(partition -> new TopicPartition(name, partition.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static Set<String> strings(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet row = statement.executeQuery()) {
            Set<String> values = new HashSet<>();
            while (row.next()) {
                values.add(row.getString(1));
            }
            return values;
        }
    }
}
