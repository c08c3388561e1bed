package org.ordersaga.saga;

/** Why a saga compensated: the step that failed (or was about to run when cancelled), a stable type, a message. */
public record SagaFailure(SagaStep step, String type, String message) {}
