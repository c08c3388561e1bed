package org.ordersaga.saga;

/**
 * Why a saga compensated: the step that failed (or was about to run when the cancel update arrived; null when the
 * workflow execution itself was cancelled), a stable type, a message.
 */
public record SagaFailure(SagaStep step, String type, String message) {}
