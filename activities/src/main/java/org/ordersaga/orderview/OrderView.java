package org.ordersaga.orderview;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What an order's events say about it. Computed from its whole timeline, so it is the same whatever order the
 * events arrived in, and the same again when rebuilt from the topics.
 */
public record OrderView(
        String orderId,
        String customerId,
        String status,
        BigDecimal total,
        String failedStep,
        String failureType,
        String failureReason,
        int eventCount,
        Instant firstEventAt,
        Instant lastEventAt) {

    /** One event of the timeline. */
    public record TimelineEvent(String type, Instant occurredAt, JsonNode payload) {}

    private static final Set<String> UNDOING = Set.of("InventoryReservationRejected", "PaymentDeclined",
            "ShipmentRejected", "InventoryReleased", "PaymentRefunded", "ShipmentCancelled");

    static OrderView of(String orderId, List<TimelineEvent> timeline) {
        String status = "PROCESSING";
        String customerId = null;
        BigDecimal total = null;
        String failedStep = null;
        String failureType = null;
        String failureReason = null;
        Instant first = null;
        Instant last = null;
        for (TimelineEvent event : timeline) {
            JsonNode payload = event.payload();
            if (customerId == null && payload.hasNonNull("customerId")) {
                customerId = payload.get("customerId").asText();
            }
            switch (event.type()) {
                case "InventoryReserved", "OrderCompleted" -> total = payload.get("total").decimalValue();
                case "OrderCompensated" -> {
                    failedStep = text(payload, "failedStep");
                    failureType = text(payload, "failureType");
                    failureReason = text(payload, "reason");
                }
                default -> { }
            }
            status = moreAdvanced(status, statusAfter(event.type()));
            first = first == null || event.occurredAt().isBefore(first) ? event.occurredAt() : first;
            last = last == null || event.occurredAt().isAfter(last) ? event.occurredAt() : last;
        }
        return new OrderView(orderId, customerId, status, total, failedStep, failureType, failureReason,
                timeline.size(), first, last);
    }

    private static String statusAfter(String type) {
        if (type.equals("OrderCompleted")) {
            return "COMPLETED";
        }
        if (type.equals("OrderCompensated")) {
            return "COMPENSATED";
        }
        return UNDOING.contains(type) ? "COMPENSATING" : "PROCESSING";
    }

    private static final List<String> PROGRESSION = List.of("PROCESSING", "COMPENSATING", "COMPENSATED",
            "COMPLETED");

    private static String moreAdvanced(String a, String b) {
        return PROGRESSION.indexOf(a) >= PROGRESSION.indexOf(b) ? a : b;
    }

    private static String text(JsonNode payload, String field) {
        return payload.hasNonNull(field) ? payload.get(field).asText() : null;
    }
}
