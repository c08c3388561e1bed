package org.ordersaga.orders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import javax.sql.DataSource;
import org.ordersaga.db.Transactions;
import org.ordersaga.orders.OrderEvents.OrderCompensated;
import org.ordersaga.orders.OrderEvents.OrderCompleted;
import org.ordersaga.orders.OrderEvents.OrderPlaced;
import org.ordersaga.outbox.OutboxWriter;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.SagaFailure;
import org.ordersaga.saga.SagaService;

/**
 * The order record moves PLACED -> COMPLETED or PLACED -> COMPENSATED, once; each move emits its event and counts in
 * {@code saga_outcomes_total}, by status and failure type.
 */
public class OrderActivitiesImpl implements OrderActivities {

    private final Transactions transactions;
    private final OrderRepository repository = new OrderRepository();
    private final OutboxWriter outbox = new OutboxWriter(SagaService.ORDERS);
    private final MeterRegistry meters;

    public OrderActivitiesImpl(DataSource ordersDataSource, MeterRegistry meters) {
        this.transactions = new Transactions(ordersDataSource);
        this.meters = meters;
    }

    @Override
    public void recordPlaced(OrderRequest order) {
        transactions.inTransaction(connection -> {
            if (repository.insertPlaced(connection, order)) {
                outbox.append(
                        connection,
                        new OrderPlaced(
                                order.orderId(),
                                order.customerId(),
                                order.items(),
                                order.shippingAddress().country()));
            }
            return null;
        });
    }

    @Override
    public void recordCompleted(CompletedOrder order) {
        boolean completed = transactions.inTransaction(connection -> {
            Optional<String> customerId = repository.markCompleted(connection, order);
            if (customerId.isPresent()) {
                outbox.append(
                        connection,
                        new OrderCompleted(order.orderId(), customerId.get(), order.total(), order.shipmentKey()));
                return true;
            }
            OrderRecordStatus status = repository
                    .status(connection, order.orderId())
                    .orElseThrow(() -> new IllegalStateException("order " + order.orderId() + " was never recorded"));
            return switch (status) {
                case COMPLETED -> false; // a repeat: it completed on an earlier attempt
                case PLACED, COMPENSATED ->
                    throw new IllegalStateException(
                            "order " + order.orderId() + " is " + status + ", cannot complete it");
            };
        });
        if (completed) {
            outcome(OrderRecordStatus.COMPLETED, "none").increment();
        }
    }

    @Override
    public void recordCompensated(CompensatedOrder compensated) {
        OrderRequest order = compensated.order();
        SagaFailure failure = compensated.failure();
        boolean recorded = transactions.inTransaction(connection -> {
            if (!repository.markCompensated(connection, order, failure)) {
                return false;
            }
            outbox.append(
                    connection,
                    new OrderCompensated(
                            order.orderId(),
                            order.customerId(),
                            failure.step(),
                            failure.type(),
                            failure.message(),
                            compensated.steps()));
            return true;
        });
        if (recorded) {
            outcome(OrderRecordStatus.COMPENSATED, failure.type()).increment();
        }
    }

    /** Counted once the move has committed: a repeat of the activity does not count again. */
    private Counter outcome(OrderRecordStatus status, String failureType) {
        return Counter.builder("saga.outcomes")
                .description("sagas ended, by the order's final status and the failure that compensated it")
                .tag("status", status.name())
                .tag("failure_type", failureType)
                .register(meters);
    }
}
