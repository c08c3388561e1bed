package org.ordersaga.outbox;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NetworkException;

/**
 * A relay's producer that now and then loses its connection in the middle of a round: from a random send until the
 * round's flush, every record fails a moment after it was sent and none is written, as records in flight on a lost
 * connection fail while those acknowledged before stay written.
 */
final class LosingProducer extends KafkaProducer<String, byte[]> {

    private final double rate;
    private final Random random = new Random(11);
    private boolean lost;

    LosingProducer(String bootstrapServers, double rate) {
        super(OutboxRelay.producerProperties(bootstrapServers));
        this.rate = rate;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        lost = lost || random.nextDouble() < rate;
        if (!lost) {
            return super.send(record);
        }
        // failing after the send returned, as the broker's answer would: the relay cannot tell it at once
        return CompletableFuture.supplyAsync(
                () -> {
                    throw new NetworkException("simulated connection loss");
                },
                CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
    }

    @Override
    public void flush() {
        super.flush();
        lost = false;
    }
}
