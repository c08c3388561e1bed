package org.ordersaga.saga;

/** One task queue per service, so each service's worker can be deployed and scaled on its own. */
public final class TaskQueues {
    /** The orchestrator: the order workflow and the order record's own activities. */
    public static final String ORDER_SAGA = "order-saga";
    public static final String INVENTORY = "inventory";
    public static final String PAYMENT = "payment";
    public static final String SHIPPING = "shipping";

    private TaskQueues() {}

    /** The task queue of a service by its configuration name: orchestrator, inventory, payment or shipping. */
    public static String ofService(String service) {
        return switch (service) {
            case "orchestrator" -> ORDER_SAGA;
            case INVENTORY, PAYMENT, SHIPPING -> service;
            default -> throw new IllegalArgumentException("unknown service '" + service
                    + "'; the services are orchestrator, inventory, payment, shipping");
        };
    }
}
