package org.ordersaga.outbox;

import java.util.Arrays;
import org.ordersaga.saga.SagaService;

/**
 * The saga's event types, as consumers read them ({@code type} in the envelope), each with the service that
 * publishes it. The services' event records carry the same names ({@code EventContractTest} keeps both and
 * {@code docs/events.md} in step).
 */
public enum EventType {
    ORDER_PLACED("OrderPlaced", SagaService.ORDERS),
    ORDER_COMPLETED("OrderCompleted", SagaService.ORDERS),
    ORDER_COMPENSATED("OrderCompensated", SagaService.ORDERS),
    INVENTORY_RESERVED("InventoryReserved", SagaService.INVENTORY),
    INVENTORY_RESERVATION_REJECTED("InventoryReservationRejected", SagaService.INVENTORY),
    INVENTORY_RELEASED("InventoryReleased", SagaService.INVENTORY),
    PAYMENT_CHARGED("PaymentCharged", SagaService.PAYMENT),
    PAYMENT_DECLINED("PaymentDeclined", SagaService.PAYMENT),
    PAYMENT_REFUNDED("PaymentRefunded", SagaService.PAYMENT),
    SHIPMENT_CREATED("ShipmentCreated", SagaService.SHIPPING),
    SHIPMENT_REJECTED("ShipmentRejected", SagaService.SHIPPING),
    SHIPMENT_CANCELLED("ShipmentCancelled", SagaService.SHIPPING);

    private final String typeName;
    private final SagaService service;

    EventType(String typeName, SagaService service) {
        this.typeName = typeName;
        this.service = service;
    }

    /** The name on the wire: {@code PaymentCharged}. */
    public String typeName() {
        return typeName;
    }

    public SagaService service() {
        return service;
    }

    /** The type of that name; an event of any other type is not one of the saga's, and cannot be applied. */
    public static EventType named(String typeName) {
        return Arrays.stream(values())
                .filter(type -> type.typeName.equals(typeName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + typeName + "'"));
    }
}
