package org.ordersaga.saga;

/**
 * One step as the saga sees it. {@code attempts}/{@code lastError} count the forward step's tries; the
 * compensation fields count its undo's tries, so an undo that keeps failing is visible while it retries. Once a
 * must-succeed try has backed off to the maximum interval, each further try is a round of server-side retries.
 */
public record StepStatus(
        SagaStep step,
        StepState state,
        int attempts,
        String lastError,
        int compensationAttempts,
        String lastCompensationError) {}
