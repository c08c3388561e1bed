package org.ordersaga.orders;

import io.temporal.activity.ActivityInterface;
import org.ordersaga.saga.OrderRequest;

/** The order's own record, owned by the orders service, whose workers also run the saga (task queue {@code orders}). */
@ActivityInterface(namePrefix = "Order")
public interface OrderActivities {

    /** Creates the order row and emits {@code OrderPlaced}; a repeat is a no-op. */
    void recordPlaced(OrderRequest order);

    /** Marks the order completed and emits {@code OrderCompleted}; a repeat is a no-op. */
    void recordCompleted(CompletedOrder order);

    /**
     * Marks the order compensated with the failed step and reason and emits {@code OrderCompensated}; creates the
     * row if {@link #recordPlaced} never took effect. A repeat is a no-op.
     */
    void recordCompensated(CompensatedOrder order);
}
