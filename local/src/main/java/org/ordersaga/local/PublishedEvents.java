package org.ordersaga.local;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ordersaga.outbox.EventTopics;

/**
 * The events of some orders as they are on the services' topics, read from the beginning and deduplicated by event
 * id (the {@code id} header), as a consumer sees them.
 *
 * @param typesByOrderAndTopic order id -> topic -> its event types (the {@code type} header), each event once, in the
 *     order they were published
 * @param eventIds the distinct events of those orders
 * @param records their records, repeats included
 */
public record PublishedEvents(
        Map<String, Map<String, List<String>>> typesByOrderAndTopic, Set<String> eventIds, int records) {

    /**
     * Reads every record up to the topics' ends once {@code expected} distinct events of {@code orderIds} have
     * arrived; fails after {@code limit}.
     */
    public static PublishedEvents read(String bootstrapServers, Set<String> orderIds, int expected, Duration limit) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Map<String, List<String>>> types = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        int ours = 0;
        long deadline = System.nanoTime() + limit.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : EventTopics.all("")) {
                consumer.partitionsFor(topic)
                        .forEach(partition -> partitions.add(new TopicPartition(topic, partition.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (seen.size() < expected || !atEnd(consumer, partitions)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("found " + seen.size() + " of " + expected
                            + " events of the orders on Kafka within " + limit);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!orderIds.contains(record.key())) {
                        continue;
                    }
                    ours++;
                    if (seen.add(header(record, "id"))) {
                        types.computeIfAbsent(record.key(), order -> new TreeMap<>())
                                .computeIfAbsent(record.topic(), topic -> new ArrayList<>())
                                .add(header(record, "type"));
                    }
                }
            }
        }
        return new PublishedEvents(types, seen, ours);
    }

    /** One order's event types per topic, in the order they were published. */
    public Map<String, List<String>> of(String orderId) {
        return typesByOrderAndTopic.getOrDefault(orderId, Map.of());
    }

    /** Records that repeat an event already on Kafka: the at-least-once relay's repeats after a crash. */
    public int repeats() {
        return records - eventIds.size();
    }

    private static boolean atEnd(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
        return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
