package org.ordersaga.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The Kafka cluster the order-view projection reads the services' events from ({@code saga.kafka.*},
 * {@code SAGA_KAFKA_*}); the same keys as the workers'.
 */
@ConfigurationProperties("saga.kafka")
record KafkaProperties(
        @Bindable(defaultValue = "127.0.0.1:9092") String bootstrapServers,
        @Bindable(defaultValue = "") String topicPrefix) {}
