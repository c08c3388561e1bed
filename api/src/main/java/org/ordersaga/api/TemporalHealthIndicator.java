package org.ordersaga.api;

import io.grpc.health.v1.HealthCheckResponse;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.util.Map;

/** UP when the Temporal frontend answers its health check as serving. */
@Singleton
@Readiness
final class TemporalHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final WorkflowServiceStubs temporal;

    TemporalHealthIndicator(WorkflowServiceStubs temporal) {
        this.temporal = temporal;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        HealthCheckResponse.ServingStatus status = temporal.healthCheck().getStatus();
        healthStatus = status == HealthCheckResponse.ServingStatus.SERVING ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("target", temporal.getOptions().getTarget(), "status", status.name());
    }

    @Override
    protected String getName() {
        return "temporal";
    }
}
