package org.ordersaga.payment;

import java.math.BigDecimal;

public record Charge(String chargeKey, BigDecimal amount) {}
