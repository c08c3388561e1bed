package org.ordersaga.saga;

public record ShippingAddress(String name, String line1, String city, String postalCode, String country) {}
