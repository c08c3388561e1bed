package org.ordersaga.outbox;

import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A relay's producer that, after a share of its flushes, acts as if the relay crashed between publishing a batch and
 * marking it published: the flush completes, then throws, so the relay drops its connection and lock without
 * marking, and the batch is published again.
 */
public final class CrashingProducer extends KafkaProducer<String, byte[]> {

    private final double rate;
    private final Random random = new Random(7);

    public CrashingProducer(String bootstrapServers, double rate) {
        super(OutboxRelay.producerProperties(bootstrapServers));
        this.rate = rate;
    }

    @Override
    public void flush() {
        super.flush();
        if (random.nextDouble() < rate) {
            throw new IllegalStateException("simulated crash between publish and mark");
        }
    }
}
