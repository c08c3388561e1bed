package org.ordersaga.saga;

/**
 * Why a saga compensated: the step that failed, or that was running or about to run when the order or the
 * workflow execution was cancelled; a stable type; a message.
 */
public record SagaFailure(SagaStep step, String type, String message) {}
