package org.ordersaga.orders;

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

/** The order record moves PLACED -> COMPLETED or PLACED -> COMPENSATED, once; each move emits its event. */
public class OrderActivitiesImpl implements OrderActivities {

    private final Transactions transactions;
    private final OrderRepository repository = new OrderRepository();
    private final OutboxWriter outbox = new OutboxWriter(SagaService.ORDERS);

    public OrderActivitiesImpl(DataSource ordersDataSource) {
        this.transactions = new Transactions(ordersDataSource);
    }

    @Override
    public void recordPlaced(OrderRequest order) {
        transactions.inTransaction(connection -> {
            if (repository.insertPlaced(connection, order)) {
                outbox.append(
                        connection,
                        new OrderPlaced(order.orderId(), order.customerId(), order.items(), order.shippingAddress()));
            }
            return null;
        });
    }

    @Override
    public void recordCompleted(CompletedOrder order) {
        transactions.inTransaction(connection -> {
            Optional<String> customerId = repository.markCompleted(connection, order);
            if (customerId.isPresent()) {
                outbox.append(
                        connection,
                        new OrderCompleted(order.orderId(), customerId.get(), order.total(), order.shipmentKey()));
                return null;
            }
            OrderRecordStatus status = repository
                    .status(connection, order.orderId())
                    .orElseThrow(() -> new IllegalStateException("order " + order.orderId() + " was never recorded"));
            return switch (status) {
                case COMPLETED -> null; // a repeat: it completed on an earlier attempt
                case PLACED, COMPENSATED ->
                    throw new IllegalStateException(
                            "order " + order.orderId() + " is " + status + ", cannot complete it");
            };
        });
    }

    @Override
    public void recordCompensated(CompensatedOrder compensated) {
        OrderRequest order = compensated.order();
        SagaFailure failure = compensated.failure();
        transactions.inTransaction(connection -> {
            if (repository.markCompensated(connection, order, failure)) {
                outbox.append(
                        connection,
                        new OrderCompensated(
                                order.orderId(),
                                order.customerId(),
                                failure.step(),
                                failure.type(),
                                failure.message(),
                                compensated.steps()));
            }
            return null;
        });
    }
}
