package org.ordersaga.orderview;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ordersaga.outbox.EventType;
import org.ordersaga.payment.Money;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.SagaStep;
import org.ordersaga.saga.StepState;
import org.ordersaga.saga.StepStatus;

/**
 * What an order's events say about it. Computed from its whole timeline, so it is the same whatever order the
 * events arrived in, and the same again when rebuilt from the topics.
 *
 * @param paid what the customer has paid and not had back: the charge less its refund; null until charged
 * @param finalSteps the saga's steps as it ended, once the timeline holds the order's last event; null before, and
 *     for an {@code OrderCompensated} written before the event carried them
 */
public record OrderView(
        String orderId,
        String customerId,
        OrderStatus status,
        BigDecimal total,
        Money paid,
        String failedStep,
        String failureType,
        String failureReason,
        int eventCount,
        Instant firstEventAt,
        Instant lastEventAt,
        List<StepStatus> finalSteps) {

    /** One event of the timeline. */
    public record TimelineEvent(EventType type, Instant occurredAt, JsonNode payload) {}

    static OrderView of(String orderId, List<TimelineEvent> timeline) {
        OrderStatus status = OrderStatus.PROCESSING;
        String customerId = null;
        BigDecimal total = null;
        Money paid = null;
        String failedStep = null;
        String failureType = null;
        String failureReason = null;
        Instant first = null;
        Instant last = null;
        List<StepStatus> finalSteps = null;
        for (TimelineEvent event : timeline) {
            JsonNode payload = event.payload();
            if (event.type() == EventType.ORDER_COMPLETED) {
                finalSteps = Arrays.stream(SagaStep.values())
                        .map(step -> new StepStatus(step, StepState.DONE))
                        .toList();
            }
            if (customerId == null && payload.hasNonNull("customerId")) {
                customerId = payload.get("customerId").asText();
            }
            if (carriesTotal(event.type())) {
                total = payload.get("total").decimalValue();
            }
            if (event.type() == EventType.PAYMENT_CHARGED) {
                paid = plus(paid, money(payload.get("charged")));
            }
            if (event.type() == EventType.PAYMENT_REFUNDED) {
                paid = plus(paid, negated(money(payload.get("refunded"))));
            }
            if (event.type() == EventType.ORDER_COMPENSATED) {
                failedStep = text(payload, "failedStep");
                failureType = text(payload, "failureType");
                failureReason = text(payload, "reason");
                finalSteps = steps(payload);
            }
            status = moreAdvanced(status, statusAfter(event.type()));
            first = first == null || event.occurredAt().isBefore(first) ? event.occurredAt() : first;
            last = last == null || event.occurredAt().isAfter(last) ? event.occurredAt() : last;
        }
        return new OrderView(
                orderId,
                customerId,
                status,
                total,
                paid,
                failedStep,
                failureType,
                failureReason,
                timeline.size(),
                first,
                last,
                finalSteps);
    }

    /** Whether the order's saga ended and the view knows how each step ended. */
    public boolean finished() {
        return status.isTerminal() && finalSteps != null;
    }

    private static List<StepStatus> steps(JsonNode compensated) {
        if (!compensated.has("steps") || compensated.get("steps").isNull()) {
            return null;
        }
        List<StepStatus> steps = new ArrayList<>();
        for (JsonNode step : compensated.get("steps")) {
            steps.add(new StepStatus(
                    SagaStep.valueOf(step.get("step").asText()),
                    StepState.valueOf(step.get("state").asText())));
        }
        return steps;
    }

    /** The total is priced by the reservation and confirmed by the completion. */
    private static boolean carriesTotal(EventType type) {
        return switch (type) {
            case INVENTORY_RESERVED, ORDER_COMPLETED -> true;
            case ORDER_PLACED,
                    ORDER_COMPENSATED,
                    INVENTORY_RESERVATION_REJECTED,
                    INVENTORY_RELEASED,
                    PAYMENT_CHARGED,
                    PAYMENT_DECLINED,
                    PAYMENT_REFUNDED,
                    SHIPMENT_CREATED,
                    SHIPMENT_REJECTED,
                    SHIPMENT_CANCELLED -> false;
        };
    }

    /** What an event says of the order on its own: a refusal or an undo means the saga is compensating. */
    private static OrderStatus statusAfter(EventType type) {
        return switch (type) {
            case ORDER_COMPLETED -> OrderStatus.COMPLETED;
            case ORDER_COMPENSATED -> OrderStatus.COMPENSATED;
            case INVENTORY_RESERVATION_REJECTED,
                    PAYMENT_DECLINED,
                    SHIPMENT_REJECTED,
                    INVENTORY_RELEASED,
                    PAYMENT_REFUNDED,
                    SHIPMENT_CANCELLED -> OrderStatus.COMPENSATING;
            case ORDER_PLACED, INVENTORY_RESERVED, PAYMENT_CHARGED, SHIPMENT_CREATED -> OrderStatus.PROCESSING;
        };
    }

    /** Events arrive in any order across topics; the view keeps the furthest state any of them implies. */
    private static OrderStatus moreAdvanced(OrderStatus a, OrderStatus b) {
        return progress(a) >= progress(b) ? a : b;
    }

    private static int progress(OrderStatus status) {
        return switch (status) {
            case PROCESSING -> 0;
            case COMPENSATING -> 1;
            case COMPENSATED -> 2;
            case COMPLETED -> 3;
        };
    }

    /** Timelines are read upcast: every payment event carries its money with its currency. */
    private static Money money(JsonNode money) {
        return new Money(
                money.get("amount").decimalValue(), money.get("currency").asText());
    }

    private static Money negated(Money money) {
        return new Money(money.amount().negate(), money.currency());
    }

    private static Money plus(Money sum, Money money) {
        if (sum == null) {
            return money;
        }
        if (!sum.currency().equals(money.currency())) {
            throw new IllegalArgumentException(
                    "an order's payments in two currencies, " + sum.currency() + " and " + money.currency());
        }
        return new Money(sum.amount().add(money.amount()), sum.currency());
    }

    private static String text(JsonNode payload, String field) {
        return payload.hasNonNull(field) ? payload.get(field).asText() : null;
    }
}
