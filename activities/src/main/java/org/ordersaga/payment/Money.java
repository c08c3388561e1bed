package org.ordersaga.payment;

import java.math.BigDecimal;

/**
 * An amount in a currency (an ISO 4217 code), as the payment events carry it from their version 2 on. Version 1
 * carried a bare number: a consumer had to know the currency, and could not have told two apart.
 */
public record Money(BigDecimal amount, String currency) {

    /**
     * The catalog's prices are in euros, so every order total, charge and refund is. Events of version 1 were too:
     * consumers upcasting them take their currency from here.
     */
    public static final String CATALOG_CURRENCY = "EUR";

    public static Money inCatalogCurrency(BigDecimal amount) {
        return new Money(amount, CATALOG_CURRENCY);
    }
}
