package org.ordersaga.shipping;

public record Shipment(String shipmentKey, String trackingNumber) {}
