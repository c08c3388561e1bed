package org.ordersaga.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.orderview.OrderViewProjection;
import org.ordersaga.orderview.ProjectionSettings;
import org.ordersaga.outbox.KafkaProperties;
import org.ordersaga.outbox.OutboxRelay;

/**
 * Runs the order-view projection in the API process, which reads it. Several API replicas share the consumer group;
 * {@code saga.order-view.rebuild=true} on one of them, alone, rebuilds the view from the topics.
 */
@Context
@Requires(property = "saga.kafka.bootstrap-servers")
final class OrderViewRunner {

    private final Producer<String, byte[]> deadLetters;
    private final OrderViewProjection projection;

    OrderViewRunner(
            @Named("orderview") DataSource view,
            KafkaProperties kafka,
            OrderViewProperties settings,
            MeterRegistry meters,
            OpenTelemetry openTelemetry) {
        ServiceSchema.ORDER_VIEW.migrate(view, false);
        deadLetters = new KafkaProducer<>(OutboxRelay.producerProperties(kafka.bootstrapServers()));
        ProjectionSettings defaults = ProjectionSettings.DEFAULT;
        projection = new OrderViewProjection(
                        view,
                        kafka.bootstrapServers(),
                        deadLetters,
                        new ProjectionSettings(
                                kafka.topicPrefix(),
                                settings.groupId(),
                                defaults.maxAttempts(),
                                defaults.retryBackoff(),
                                settings.rebuild(),
                                defaults.commitInterval(),
                                defaults.batchWait()),
                        meters,
                        openTelemetry)
                .start();
    }

    @PreDestroy
    void stop() {
        projection.close();
        deadLetters.close();
    }
}
