package org.ordersaga.saga;

/**
 * One step as the saga sees it. How its activity is doing while it retries (attempt, last failure) is Temporal's to
 * tell: the pending activities of {@code DescribeWorkflowExecution}, as the Web UI shows them.
 */
public record StepStatus(SagaStep step, StepState state) {}
