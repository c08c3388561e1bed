package org.ordersaga.saga;

/** The saga's steps in the order they run. */
public enum SagaStep {
    RECORD_ORDER(TaskQueues.ORDER_SAGA, "Record order", "Record order compensated"),
    RESERVE_INVENTORY(TaskQueues.INVENTORY, "Reserve inventory", "Release inventory"),
    CHARGE_PAYMENT(TaskQueues.PAYMENT, "Charge payment", "Refund payment"),
    CREATE_SHIPMENT(TaskQueues.SHIPPING, "Create shipment", "Cancel shipment"),
    COMPLETE_ORDER(TaskQueues.ORDER_SAGA, "Record order completed", "");

    private final String taskQueue;
    private final String action;
    private final String undoAction;

    SagaStep(String taskQueue, String action, String undoAction) {
        this.taskQueue = taskQueue;
        this.action = action;
        this.undoAction = undoAction;
    }

    public String taskQueue() {
        return taskQueue;
    }

    /** The idempotency key of this step in one saga; its compensation carries the same key. */
    public String idempotencyKey(String workflowId) {
        return workflowId + ":" + name();
    }

    String summary(String orderId, int attempt) {
        return action + " for order " + orderId + " (attempt " + attempt + ")";
    }

    String undoSummary(String orderId, int attempt) {
        return undoAction + " for order " + orderId + " (attempt " + attempt + ")";
    }
}
