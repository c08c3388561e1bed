package org.ordersaga.orders;

/** The {@code status} of the order's own record: PLACED, then COMPLETED or COMPENSATED, once. */
enum OrderRecordStatus {
    PLACED,
    COMPLETED,
    COMPENSATED
}
