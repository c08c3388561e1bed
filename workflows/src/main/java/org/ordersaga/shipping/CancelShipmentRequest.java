package org.ordersaga.shipping;

/** Undoes the shipment made with {@code shipmentKey}, the idempotency key of the create-shipment step. */
public record CancelShipmentRequest(String shipmentKey, String orderId) {}
