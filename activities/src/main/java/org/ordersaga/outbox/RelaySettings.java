package org.ordersaga.outbox;

import java.time.Duration;
import java.util.Objects;
import org.ordersaga.saga.SagaService;

/**
 * How an {@link OutboxRelay} runs.
 *
 * @param topicPrefix prepended to every topic name ({@code <prefix>inventory.events})
 * @param batchSize rows published per round trip
 * @param pollInterval the longest the relay sleeps without a notification before looking at the outbox anyway
 * @param standbyInterval how often a standby relay tries to become the active one
 * @param maxBackoff the longest wait between retries while the broker or the database is unavailable
 * @param retention published rows older than this are deleted
 */
public record RelaySettings(
        String topicPrefix,
        int batchSize,
        Duration pollInterval,
        Duration standbyInterval,
        Duration maxBackoff,
        Duration retention) {

    public static final RelaySettings DEFAULT = new RelaySettings(
            "", 500, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofDays(7));

    public RelaySettings {
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
    }

    public String topic(String aggregateType) {
        return EventTopics.topic(topicPrefix, aggregateType);
    }

    /**
     * The transactional id every replica of {@code service}'s relay publishes under ({@code <prefix>payment.outbox}),
     * so the active one fences those before it.
     */
    public String transactionalId(SagaService service) {
        return topicPrefix + service.id() + ".outbox";
    }

    public RelaySettings withTopicPrefix(String prefix) {
        return new RelaySettings(prefix, batchSize, pollInterval, standbyInterval, maxBackoff, retention);
    }
}
