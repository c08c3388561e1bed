package org.ordersaga.saga;

public enum OrderStatus {
    PROCESSING,
    COMPENSATING,
    COMPLETED,
    COMPENSATED;

    public boolean isTerminal() {
        return this == COMPLETED || this == COMPENSATED;
    }
}
