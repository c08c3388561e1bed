package org.ordersaga.inventory;

/** Undoes the reservation made with {@code reservationKey}, the idempotency key of the reserve step. */
public record ReleaseRequest(String reservationKey, String orderId) {}
