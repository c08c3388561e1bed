package org.ordersaga.saga;

public enum StepState {
    PENDING,
    DONE,
    FAILED,
    COMPENSATED,
    SKIPPED
}
