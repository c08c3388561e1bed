package org.ordersaga.saga;

/**
 * Stable {@code ApplicationFailure} types. Business failures are thrown non-retryable by the services and send
 * the saga straight to compensation; the saga's own types describe why it stopped otherwise.
 */
public final class FailureTypes {
    public static final String OUT_OF_STOCK = "OutOfStock";
    public static final String UNKNOWN_SKU = "UnknownSku";
    public static final String PAYMENT_DECLINED = "PaymentDeclined";
    public static final String ADDRESS_UNSERVICEABLE = "AddressUnserviceable";
    /** A late attempt of a forward step found that its compensation already ran: it must not take effect. */
    public static final String ALREADY_COMPENSATED = "AlreadyCompensated";

    public static final String INVALID_ORDER = "InvalidOrder";
    public static final String RETRIES_EXHAUSTED = "RetriesExhausted";
    public static final String ORDER_CANCELLED = "OrderCancelled";

    private FailureTypes() {}
}
