package org.ordersaga.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * When the broker acknowledged each record a producer sent, by topic, partition and offset: a producer interceptor
 * ({@code interceptor.classes}), so that the real relay's acks are timed without touching the relay. Kafka
 * instantiates it, hence the shared table.
 */
public final class AckTimes implements ProducerInterceptor<String, byte[]> {

    private static final Map<String, Instant> ACKED = new ConcurrentHashMap<>();

    /** When the record at {@code offset} of the partition was acknowledged, if a producer with this saw it. */
    static Instant of(String topic, int partition, long offset) {
        return ACKED.get(key(topic, partition, offset));
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (exception == null && metadata.hasOffset()) {
            ACKED.put(
                    key(metadata.topic(), metadata.partition(), metadata.offset()),
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
        }
    }

    @Override
    public ProducerRecord<String, byte[]> onSend(ProducerRecord<String, byte[]> record) {
        return record;
    }

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}

    private static String key(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }
}
