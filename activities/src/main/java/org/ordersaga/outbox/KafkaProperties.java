package org.ordersaga.outbox;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Kafka, for the workers' outbox relays and the API's projection, and how the relays run ({@code saga.kafka.*},
 * {@code SAGA_KAFKA_*}); see {@link RelaySettings}.
 */
@ConfigurationProperties("saga.kafka")
public record KafkaProperties(
        @Bindable(defaultValue = "127.0.0.1:9092") String bootstrapServers,
        @Bindable(defaultValue = "") String topicPrefix,
        @Bindable(defaultValue = "500") int relayBatchSize,
        @Bindable(defaultValue = "1s") Duration relayPollInterval,
        @Bindable(defaultValue = "2s") Duration relayStandbyInterval,
        @Bindable(defaultValue = "30s") Duration relayMaxBackoff,
        @Bindable(defaultValue = "7d") Duration retention) {

    public RelaySettings relaySettings() {
        return new RelaySettings(
                topicPrefix, relayBatchSize, relayPollInterval, relayStandbyInterval, relayMaxBackoff, retention);
    }
}
