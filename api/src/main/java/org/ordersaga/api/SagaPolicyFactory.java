package org.ordersaga.api;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ordersaga.saga.RetryPolicy;
import org.ordersaga.saga.SagaPolicy;
import org.ordersaga.saga.SagaService;

@Factory
class SagaPolicyFactory {

    /** The policy every saga this API starts carries in its input; an unknown service name stops the start-up. */
    @Singleton
    SagaPolicy sagaPolicy(List<RetryProperties> retries) {
        Map<String, RetryPolicy> policies = new HashMap<>();
        retries.forEach(retry -> policies.put(SagaService.named(retry.name()).id(), retry.policy()));
        return new SagaPolicy(policies);
    }
}
