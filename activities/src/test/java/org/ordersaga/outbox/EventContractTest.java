package org.ordersaga.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ordersaga.db.Json;
import org.ordersaga.inventory.InventoryEvents;
import org.ordersaga.orders.OrderEvents;
import org.ordersaga.payment.PaymentEvents;
import org.ordersaga.shipping.ShippingEvents;

/** {@code docs/events.md} documents exactly the events the services emit: type, topic and payload fields. */
class EventContractTest {

    /** Each service's events, and the aggregate type its outbox writer publishes them under. */
    private static final Map<Class<?>, String> EVENTS_BY_AGGREGATE = Map.of(
            OrderEvents.class, "orders",
            InventoryEvents.class, "inventory",
            PaymentEvents.class, "payment",
            ShippingEvents.class, "shipping");

    @Test
    void everyEventTheServicesEmitIsDocumentedWithItsTopicAndPayloadFields() throws Exception {
        Map<String, EventsDoc.Documented> emitted = new TreeMap<>();
        for (var service : EVENTS_BY_AGGREGATE.entrySet()) {
            for (Class<?> event : service.getKey().getDeclaredClasses()) {
                if (DomainEvent.class.isAssignableFrom(event)) {
                    DomainEvent sample = sample(event);
                    emitted.put(
                            sample.type(),
                            new EventsDoc.Documented(EventTopics.topic("", service.getValue()), jsonFields(sample)));
                }
            }
        }
        assertEquals(12, emitted.size(), "the twelve event types of the saga");
        assertEquals(emitted, EventsDoc.events());
    }

    @Test
    void consumersKnowExactlyTheEventTypesTheServicesEmitEachWithItsService() {
        Map<String, String> emitted = new TreeMap<>();
        EVENTS_BY_AGGREGATE.forEach((events, aggregate) -> Arrays.stream(events.getDeclaredClasses())
                .filter(DomainEvent.class::isAssignableFrom)
                .forEach(event -> emitted.put(event.getSimpleName(), aggregate)));
        Map<String, String> known = new TreeMap<>();
        for (EventType type : EventType.values()) {
            known.put(type.typeName(), type.service().id());
        }
        assertEquals(emitted, known);
    }

    /** An instance with every component empty, to see the field names the payload JSON really has. */
    private static DomainEvent sample(Class<?> event) throws ReflectiveOperationException {
        RecordComponent[] components = event.getRecordComponents();
        Class<?>[] types =
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Object[] values =
                Arrays.stream(types).map(type -> type.isPrimitive() ? 0 : null).toArray();
        return (DomainEvent) event.getDeclaredConstructor(types).newInstance(values);
    }

    private static List<String> jsonFields(DomainEvent event) throws Exception {
        JsonNode json = new ObjectMapper().readTree(Json.jsonb(event).getValue());
        Set<String> names = new LinkedHashSet<>();
        json.fieldNames().forEachRemaining(names::add);
        return new ArrayList<>(names);
    }
}
