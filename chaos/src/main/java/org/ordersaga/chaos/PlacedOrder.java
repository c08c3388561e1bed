package org.ordersaga.chaos;

/** An order the API accepted, of its kind; for a cancelled one, whether the saga accepted the cancellation. */
record PlacedOrder(String orderId, OrderKind kind, boolean cancelAccepted) {}
