package org.ordersaga.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ordersaga.kafka.TopicReader;
import org.ordersaga.outbox.EventEnvelope;
import org.ordersaga.outbox.EventTopics;

/** The events of some orders as they are on the four topics, read from the beginning and deduplicated by id. */
record PublishedEvents(Map<String, Map<String, List<String>>> typesByOrderAndTopic, Set<String> eventIds, int records) {

    static final List<String> TOPICS = EventTopics.all("");

    /** Reads until {@code expected} distinct events of {@code orderIds} have arrived, or {@code limit} passed. */
    static PublishedEvents read(String bootstrapServers, Set<String> orderIds, int expected, Duration limit) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(
                bootstrapServers, TOPICS, read -> ids(read, orderIds).size() >= expected, limit);
        Map<String, Map<String, List<String>>> types = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        int ours = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!orderIds.contains(record.key())) {
                continue;
            }
            ours++;
            EventEnvelope event = EventEnvelope.parse(record.value());
            if (seen.add(event.eventId().toString())) {
                types.computeIfAbsent(record.key(), k -> new TreeMap<>())
                        .computeIfAbsent(record.topic(), k -> new ArrayList<>())
                        .add(event.type());
            }
        }
        return new PublishedEvents(types, seen, ours);
    }

    /** One order's event types per topic, in the order they were published. */
    Map<String, List<String>> of(String orderId) {
        return typesByOrderAndTopic.getOrDefault(orderId, Map.of());
    }

    private static Set<String> ids(List<ConsumerRecord<String, byte[]>> records, Set<String> orderIds) {
        Set<String> ids = new HashSet<>();
        records.stream()
                .filter(record -> orderIds.contains(record.key()))
                .forEach(record ->
                        ids.add(EventEnvelope.parse(record.value()).eventId().toString()));
        return ids;
    }
}
