package org.ordersaga.inventory;

import java.math.BigDecimal;

public record ReservedLine(String sku, int quantity, BigDecimal unitPrice) {

    public BigDecimal amount() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
