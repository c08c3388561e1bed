package org.ordersaga.inventory;

import java.math.BigDecimal;
import java.util.List;
import org.ordersaga.outbox.DomainEvent;

/** The events the inventory service publishes (aggregate type {@code inventory}). */
public final class InventoryEvents {

    private InventoryEvents() {}

    public record InventoryReserved(String orderId, String reservationKey, List<ReservedLine> lines, BigDecimal total)
            implements DomainEvent {}

    public record InventoryReservationRejected(String orderId, String reservationKey, String reason, String message)
            implements DomainEvent {}

    public record InventoryReleased(String orderId, String reservationKey, List<ReservedLine> lines)
            implements DomainEvent {}
}
