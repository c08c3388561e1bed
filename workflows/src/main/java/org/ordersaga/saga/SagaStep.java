package org.ordersaga.saga;

import java.util.List;
import java.util.Optional;

/**
 * The saga's steps in the order they run, each with the service that runs it, the activity that does it and the one
 * that undoes it (as Temporal names them: the interface's prefix and the method), and the failure types by which its
 * service refuses it for a business reason.
 */
public enum SagaStep {
    RECORD_ORDER(
            SagaService.ORDERS,
            "Record order",
            "OrderRecordPlaced",
            "Record order compensated",
            "OrderRecordCompensated",
            List.of()),
    RESERVE_INVENTORY(
            SagaService.INVENTORY,
            "Reserve inventory",
            "InventoryReserve",
            "Release inventory",
            "InventoryRelease",
            List.of(FailureTypes.OUT_OF_STOCK, FailureTypes.UNKNOWN_SKU, FailureTypes.ALREADY_COMPENSATED)),
    CHARGE_PAYMENT(
            SagaService.PAYMENT,
            "Charge payment",
            "PaymentCharge",
            "Refund payment",
            "PaymentRefund",
            List.of(FailureTypes.PAYMENT_DECLINED, FailureTypes.ALREADY_COMPENSATED)),
    CREATE_SHIPMENT(
            SagaService.SHIPPING,
            "Create shipment",
            "ShippingCreateShipment",
            "Cancel shipment",
            "ShippingCancelShipment",
            List.of(FailureTypes.ADDRESS_UNSERVICEABLE, FailureTypes.ALREADY_COMPENSATED)),
    COMPLETE_ORDER(SagaService.ORDERS, "Record order completed", "OrderRecordCompleted", null, null, List.of());

    private final SagaService service;
    private final String action;
    private final String activityType;
    private final String undoAction;
    private final String undoActivityType;
    private final List<String> rejections;

    SagaStep(
            SagaService service,
            String action,
            String activityType,
            String undoAction,
            String undoActivityType,
            List<String> rejections) {
        this.service = service;
        this.action = action;
        this.activityType = activityType;
        this.undoAction = undoAction;
        this.undoActivityType = undoActivityType;
        this.rejections = rejections;
    }

    public SagaService service() {
        return service;
    }

    /** The idempotency key of this step in one saga; its compensation carries the same key. */
    public String idempotencyKey(String workflowId) {
        return workflowId + ":" + name();
    }

    public String activityType() {
        return activityType;
    }

    /** The compensation's activity type; none for the step past the point of no return. */
    public Optional<String> undoActivityType() {
        return Optional.ofNullable(undoActivityType);
    }

    /** Failure types by which the service refuses this step: it certainly took no effect, and is not retried. */
    List<String> rejections() {
        return rejections;
    }

    String summary(String orderId) {
        return action + " for order " + orderId;
    }

    String undoSummary(String orderId) {
        return undoAction + " for order " + orderId;
    }
}
