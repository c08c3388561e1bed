package org.ordersaga.outbox;

import java.util.Random;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * A relay's producer that, after a share of its commits, acts as if the relay crashed between publishing a round and
 * marking it published: the commit completes, then throws, so the relay drops its connection and lock without
 * marking, and the round is published again.
 */
public final class CrashingProducer extends KafkaProducer<String, byte[]> {

    private final double rate;
    private final Random random;

    private CrashingProducer(String bootstrapServers, String transactionalId, double rate, Random random) {
        super(OutboxRelay.transactionalProducerProperties(bootstrapServers, transactionalId));
        this.rate = rate;
        this.random = random;
    }

    /** A relay's producers, each crashing after {@code rate} of its commits; one seeded sequence for them all. */
    public static Function<String, Producer<String, byte[]>> producers(String bootstrapServers, double rate) {
        Random random = new Random(7);
        return transactionalId -> new CrashingProducer(bootstrapServers, transactionalId, rate, random);
    }

    @Override
    public void commitTransaction() {
        super.commitTransaction();
        if (random.nextDouble() < rate) {
            throw new IllegalStateException("simulated crash between publish and mark");
        }
    }
}
