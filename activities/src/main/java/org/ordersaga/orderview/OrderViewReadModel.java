package org.ordersaga.orderview;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.ordersaga.db.Transactions;
import org.ordersaga.orderview.OrderView.TimelineEvent;
import org.ordersaga.payment.Money;
import org.ordersaga.saga.OrderStatus;

/** What the API reads of the order view: an order's timeline, and orders a page at a time. */
public final class OrderViewReadModel {

    /**
     * An order as its events so far describe it; {@code customerId}, {@code total} and {@code paid} once an event said
     * them.
     */
    public record Summary(
            String orderId,
            String customerId,
            OrderStatus status,
            BigDecimal total,
            Money paid,
            String failureType,
            Instant lastEventAt) {}

    private final Transactions transactions;
    private final OrderViewRepository repository = new OrderViewRepository();

    public OrderViewReadModel(DataSource view) {
        this.transactions = new Transactions(view);
    }

    /**
     * An order as the projection has seen it so far: its events, oldest first, and what they say.
     *
     * @param view null for an order the projection has not seen
     */
    public record Order(OrderView view, List<TimelineEvent> timeline) {}

    public Order order(String orderId) {
        List<TimelineEvent> timeline =
                transactions.inTransaction(connection -> repository.timeline(connection, orderId));
        return new Order(timeline.isEmpty() ? null : OrderView.of(orderId, timeline), timeline);
    }

    /**
     * Up to {@code limit} orders with ids after {@code afterOrderId} ({@code ""} for the first), by id; a null
     * {@code status} or {@code customerId} matches any.
     */
    public List<Summary> page(OrderStatus status, String customerId, String afterOrderId, int limit) {
        return transactions.inTransaction(
                connection -> repository.summaries(connection, status, customerId, afterOrderId, limit));
    }
}
