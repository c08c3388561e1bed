package org.ordersaga.saga;

import java.util.Map;

/**
 * How a saga retries each service's steps. It is part of the saga's input, fixed when the saga starts: a running
 * saga replays the same decisions whatever its workers are configured with, and a new policy applies only to sagas
 * started after it.
 *
 * @param retryPolicies per service, by its {@link SagaService#id() name}; services not listed use {@link RetryPolicy#DEFAULT}
 */
public record SagaPolicy(Map<String, RetryPolicy> retryPolicies) {

    /**
     * For sagas started without a policy (from the CLI). Workflow code reads it during replay: change it only
     * behind {@code Workflow.getVersion}.
     */
    public static final SagaPolicy DEFAULT = new SagaPolicy(Map.of());

    public SagaPolicy {
        retryPolicies = retryPolicies == null ? Map.of() : Map.copyOf(retryPolicies);
    }

    public RetryPolicy retryPolicy(SagaStep step) {
        return retryPolicies.getOrDefault(step.service().id(), RetryPolicy.DEFAULT);
    }
}
