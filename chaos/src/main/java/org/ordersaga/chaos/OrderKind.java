package org.ordersaga.chaos;

import org.ordersaga.local.OrdersClient;
import org.ordersaga.saga.FailureTypes;
import org.ordersaga.saga.OrderStatus;

/** What an order is placed to show, how it is placed, and the outcome that makes it right. */
enum OrderKind {
    COMPLETES(Stock.CUSTOMER, Stock.SKU, "GB"),
    DECLINED("cust-poor", Stock.SKU, "GB"),
    OUT_OF_STOCK(Stock.CUSTOMER, "sku-out", "GB"),
    UNSERVICEABLE(Stock.CUSTOMER, Stock.SKU, "XX"),
    CANCELLED(Stock.CUSTOMER, Stock.SKU, "GB");

    private final String customerId;
    private final String sku;
    private final String country;

    OrderKind(String customerId, String sku, String country) {
        this.customerId = customerId;
        this.sku = sku;
        this.country = country;
    }

    /** The {@code n}th order of a run: six in ten complete, one in ten of each other kind. */
    static OrderKind nth(int n) {
        return switch (n % 10) {
            case 6 -> DECLINED;
            case 7 -> OUT_OF_STOCK;
            case 8 -> UNSERVICEABLE;
            case 9 -> CANCELLED;
            default -> COMPLETES;
        };
    }

    /** Places the order as a client that must not lose it, and asks to cancel a {@link #CANCELLED} one. */
    PlacedOrder place(OrdersClient client, int quantity) {
        String orderId = client.placeIdempotently(customerId, sku, quantity, country);
        boolean cancelAccepted = this == CANCELLED && client.cancel(orderId, "changed my mind");
        return new PlacedOrder(orderId, this, cancelAccepted);
    }

    /**
     * Whether the saga ended as this kind of order must: a cancellation the saga refused as too late leaves it to
     * complete, though a try whose answer was lost may still have cancelled it.
     */
    boolean endedRight(SagaOutcome outcome, boolean cancelAccepted) {
        return switch (this) {
            case COMPLETES -> outcome.is(OrderStatus.COMPLETED, null);
            case DECLINED -> outcome.is(OrderStatus.COMPENSATED, FailureTypes.PAYMENT_DECLINED);
            case OUT_OF_STOCK -> outcome.is(OrderStatus.COMPENSATED, FailureTypes.OUT_OF_STOCK);
            case UNSERVICEABLE -> outcome.is(OrderStatus.COMPENSATED, FailureTypes.ADDRESS_UNSERVICEABLE);
            case CANCELLED ->
                outcome.is(OrderStatus.COMPENSATED, FailureTypes.ORDER_CANCELLED)
                        || (!cancelAccepted && outcome.is(OrderStatus.COMPLETED, null));
        };
    }
}
