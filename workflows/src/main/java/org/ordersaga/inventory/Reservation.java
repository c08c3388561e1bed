package org.ordersaga.inventory;

import java.math.BigDecimal;
import java.util.List;

public record Reservation(String reservationKey, List<ReservedLine> lines) {

    public BigDecimal total() {
        return lines.stream().map(ReservedLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
