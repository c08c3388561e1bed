package org.ordersaga.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.saga.SagaService;

/** Reads the order topic and completes each order's future when its {@code OrderCompleted} event arrives. */
final class CompletionWatcher implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, CompletableFuture<Long>> completions = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean reading = true;

    CompletionWatcher(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-completions");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(EventTopics.topic("", SagaService.ORDERS)));
        reader = new Thread(this::read, "completion-watcher");
        reader.setDaemon(true);
        reader.start();
    }

    /** The time ({@code nanoTime}) {@code orderId}'s completion was read, whether before or after this call. */
    CompletableFuture<Long> completionOf(String orderId) {
        return completions.computeIfAbsent(orderId, id -> new CompletableFuture<>());
    }

    @Override
    public void close() throws InterruptedException {
        reading = false;
        reader.join(10_000);
    }

    private void read() {
        try {
            while (reading) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    long readAt = System.nanoTime();
                    JsonNode event = parse(record.value());
                    if (event != null && event.path("type").asText().equals("OrderCompleted")) {
                        completionOf(event.path("orderId").asText()).complete(readAt);
                    }
                }
            }
        } finally {
            consumer.close();
        }
    }

    private JsonNode parse(byte[] value) {
        try {
            return json.readTree(value);
        } catch (IOException notAnEnvelope) {
            return null;
        }
    }
}
