package org.ordersaga.saga;

/** Thrown inside the workflow when a forward step fails for good or the order is cancelled: time to compensate. */
final class SagaAbortedException extends RuntimeException {
    private final SagaFailure failure;

    SagaAbortedException(SagaFailure failure) {
        super(failure.step() + " " + failure.type() + ": " + failure.message());
        this.failure = failure;
    }

    SagaFailure failure() {
        return failure;
    }
}
