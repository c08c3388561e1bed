package org.ordersaga.activity;

import io.temporal.failure.ApplicationFailure;

/**
 * What a forward step's transaction decided. A business rejection is a fact recorded with its event, so the
 * transaction commits it and only then is it thrown to the saga, as a non-retryable failure of a stable type.
 */
public record StepOutcome<T>(T result, String rejectionType, String rejectionMessage) {

    public static <T> StepOutcome<T> succeeded(T result) {
        return new StepOutcome<>(result, null, null);
    }

    public static <T> StepOutcome<T> rejected(String type, String message) {
        return new StepOutcome<>(null, type, message);
    }

    public T resultOrThrow() {
        if (rejectionType != null) {
            throw ApplicationFailure.newNonRetryableFailure(rejectionMessage, rejectionType);
        }
        return result;
    }
}
