package org.ordersaga.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.ordersaga.outbox.KafkaProperties;

/** UP when the Kafka cluster the projection reads from answers with at least one broker. */
@Singleton
@Readiness
@Requires(property = "saga.kafka.bootstrap-servers")
final class KafkaHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final Admin admin;
    private final String bootstrapServers;

    KafkaHealthIndicator(KafkaProperties kafka) {
        this.bootstrapServers = kafka.bootstrapServers();
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        this.admin = Admin.create(config);
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        try {
            int brokers =
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            healthStatus = brokers > 0 ? HealthStatus.UP : HealthStatus.DOWN;
            return Map.of("bootstrapServers", bootstrapServers, "brokers", brokers);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " does not answer", e);
        }
    }

    @Override
    protected String getName() {
        return "kafka";
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
