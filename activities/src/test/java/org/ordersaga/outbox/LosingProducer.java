package org.ordersaga.outbox;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A relay's producer that now and then loses one record of a round while the records sent after it are written, as
 * an idempotent producer does when a batch expires during a broker restart: it renumbers the partition and sends the
 * batches behind the lost one.
 */
final class LosingProducer extends KafkaProducer<String, byte[]> {

    private final double rate;
    private final Random random;

    private LosingProducer(String bootstrapServers, String transactionalId, double rate, Random random) {
        super(OutboxRelay.transactionalProducerProperties(bootstrapServers, transactionalId));
        this.rate = rate;
        this.random = random;
    }

    /** A relay's producers, each losing {@code rate} of its records; one seeded sequence for them all. */
    static Function<String, Producer<String, byte[]>> producers(String bootstrapServers, double rate) {
        Random random = new Random(11);
        return transactionalId -> new LosingProducer(bootstrapServers, transactionalId, rate, random);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        if (random.nextDouble() >= rate) {
            return super.send(record);
        }
        // failing after the send returned, as an expired batch does: the relay cannot tell it at once
        return CompletableFuture.supplyAsync(
                () -> {
                    throw new TimeoutException("simulated expiry of a batch during a broker restart");
                },
                CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
    }
}
