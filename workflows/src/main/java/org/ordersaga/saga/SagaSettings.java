package org.ordersaga.saga;

import java.util.Map;

/**
 * The orchestrator's settings, handed to each {@link OrderWorkflowImpl} by the worker that registers it.
 *
 * @param retryPolicies per task queue (that is, per service); services not listed use {@link RetryPolicy#DEFAULT}
 */
public record SagaSettings(Map<String, RetryPolicy> retryPolicies) {

    public static final SagaSettings DEFAULT = new SagaSettings(Map.of());

    public SagaSettings {
        retryPolicies = Map.copyOf(retryPolicies);
    }

    public RetryPolicy retryPolicy(SagaStep step) {
        return retryPolicies.getOrDefault(step.taskQueue(), RetryPolicy.DEFAULT);
    }
}
