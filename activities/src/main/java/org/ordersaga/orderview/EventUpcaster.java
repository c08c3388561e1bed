package org.ordersaga.orderview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ordersaga.outbox.EventEnvelope;
import org.ordersaga.outbox.EventType;
import org.ordersaga.payment.Money;

/**
 * Takes an event of an earlier {@code schemaVersion} of its type to the version the projection reads, one breaking
 * change at a time, so that the view is computed from one shape per type however old the event: old events stay on
 * the topics and come again in every rebuild. A version newer than the projection reads is refused, never guessed
 * at: its producer was deployed before this consumer.
 */
public final class EventUpcaster {

    /** One breaking change: a payload of {@code type} at {@code fromVersion}, rewritten as the next version's. */
    public record Step(EventType type, int fromVersion, UnaryOperator<ObjectNode> upcast) {}

    /** Every step, for every type; a type's versions are 1 and one more per step. */
    public static final List<Step> STEPS = List.of(
            new Step(EventType.PAYMENT_CHARGED, 1, v1 -> moneyWithCurrency(v1, "charged")),
            new Step(EventType.PAYMENT_REFUNDED, 1, v1 -> moneyWithCurrency(v1, "refunded")),
            new Step(EventType.ORDER_PLACED, 1, v1 -> countryOnly(v1, "shippingAddress")),
            new Step(EventType.SHIPMENT_CREATED, 1, v1 -> countryOnly(v1, "address")));

    private EventUpcaster() {}

    /** The newest version of the type that the projection reads. */
    public static int readsUpTo(EventType type) {
        return 1 + (int) STEPS.stream().filter(step -> step.type() == type).count();
    }

    /**
     * The payload as the version the projection reads.
     *
     * @throws IllegalArgumentException for a version it does not read, or a payload that is not of its version
     */
    public static JsonNode upcast(EventType type, int version, JsonNode payload) {
        int newest = readsUpTo(type);
        if (version > newest) {
            throw new IllegalArgumentException(type.typeName() + " v" + version
                    + " is newer than this consumer reads (v" + newest + "): deploy consumers before producers");
        }
        if (version < 1) {
            throw new IllegalArgumentException(type.typeName() + " event without a schemaVersion");
        }
        if (version == newest) {
            return payload;
        }
        if (!payload.isObject()) {
            throw new IllegalArgumentException(type.typeName() + " v" + version + " payload is not an object");
        }
        ObjectNode upcast = payload.deepCopy();
        for (int from = version; from < newest; from++) {
            upcast = step(type, from).upcast().apply(upcast);
        }
        return upcast;
    }

    /**
     * The event as the projection reads and keeps it: at the newest version of its type, so that the view holds no
     * more of an old event than that version does (no name or address of a version 1 {@code OrderPlaced}).
     *
     * @throws IllegalArgumentException for a type or version it does not read
     */
    public static EventEnvelope upcast(EventEnvelope event) {
        EventType type = EventType.named(event.type());
        return new EventEnvelope(
                event.eventId(),
                event.type(),
                readsUpTo(type),
                event.occurredAt(),
                event.aggregateType(),
                event.aggregateId(),
                event.orderId(),
                event.correlationId(),
                upcast(type, event.schemaVersion(), event.payload()));
    }

    private static Step step(EventType type, int fromVersion) {
        return STEPS.stream()
                .filter(step -> step.type() == type && step.fromVersion() == fromVersion)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no upcast of " + type.typeName() + " v" + fromVersion + " to v" + (fromVersion + 1)));
    }

    /** Version 1's name and address to ship to becomes the country alone: the rest is personal data. */
    private static ObjectNode countryOnly(ObjectNode v1, String addressField) {
        JsonNode country = v1.path(addressField).path("country");
        if (!country.isTextual()) {
            throw new IllegalArgumentException(
                    "a version 1 event's " + addressField + " has a country, not " + v1.get(addressField));
        }
        v1.remove(addressField);
        v1.set("shippingCountry", country);
        return v1;
    }

    /** Version 1's bare {@code amount} becomes {@code field: {amount, currency}}; it was in the catalog's currency. */
    private static ObjectNode moneyWithCurrency(ObjectNode v1, String field) {
        JsonNode amount = v1.remove("amount");
        if (amount == null || !amount.isNumber()) {
            throw new IllegalArgumentException("a version 1 payment event's amount is a number, not " + amount);
        }
        ObjectNode money = v1.putObject(field);
        money.set("amount", amount);
        money.put("currency", Money.CATALOG_CURRENCY);
        return v1;
    }
}
