package org.ordersaga.saga;

/**
 * Stable {@code ApplicationFailure} types. Business failures are thrown non-retryable by the services and send the
 * saga straight to compensation; the services' other types say what went wrong with an attempt; the saga's own
 * types describe why it stopped otherwise.
 */
public final class FailureTypes {
    public static final String OUT_OF_STOCK = "OutOfStock";
    public static final String UNKNOWN_SKU = "UnknownSku";
    public static final String PAYMENT_DECLINED = "PaymentDeclined";
    public static final String ADDRESS_UNSERVICEABLE = "AddressUnserviceable";
    /** A late attempt of a forward step found that its compensation already ran: it must not take effect. */
    public static final String ALREADY_COMPENSATED = "AlreadyCompensated";

    /**
     * The service's database refused the data (PostgreSQL SQLSTATE class 22 or 23): trying again cannot help. A
     * forward step ends and is compensated; a compensation keeps retrying, loudly, until an operator has fixed the
     * cause.
     */
    public static final String DATA_ERROR = "DataError";
    /** The service's database was unreachable or shutting down: retried, and it does not use up a step's budget. */
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    public static final String INVALID_ORDER = "InvalidOrder";
    public static final String RETRIES_EXHAUSTED = "RetriesExhausted";
    public static final String ORDER_CANCELLED = "OrderCancelled";

    private FailureTypes() {}
}
