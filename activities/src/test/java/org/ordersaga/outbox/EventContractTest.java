package org.ordersaga.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ordersaga.db.Json;

/** {@code docs/events.md} documents exactly the events the services emit: type, topic and payload fields. */
class EventContractTest {

    @Test
    void everyEventTheServicesEmitIsDocumentedWithItsTopicAndPayloadFields() throws Exception {
        Map<String, EventsDoc.Documented> emitted = new TreeMap<>();
        for (var service : EventSchemas.EVENTS_BY_SERVICE.entrySet()) {
            for (Class<?> event : service.getKey().getDeclaredClasses()) {
                if (DomainEvent.class.isAssignableFrom(event)) {
                    DomainEvent sample = EventSchemas.empty(event);
                    emitted.put(
                            sample.type(),
                            new EventsDoc.Documented(
                                    EventTopics.topic("", service.getValue().id()), jsonFields(sample)));
                }
            }
        }
        assertEquals(12, emitted.size(), "the twelve event types of the saga");
        assertEquals(emitted, EventsDoc.events());
    }

    @Test
    void consumersKnowExactlyTheEventTypesTheServicesEmitEachWithItsService() {
        Map<String, String> emitted = new TreeMap<>();
        EventSchemas.EVENTS_BY_SERVICE.forEach((events, service) -> Arrays.stream(events.getDeclaredClasses())
                .filter(DomainEvent.class::isAssignableFrom)
                .forEach(event -> emitted.put(event.getSimpleName(), service.id())));
        Map<String, String> known = new TreeMap<>();
        for (EventType type : EventType.values()) {
            known.put(type.typeName(), type.service().id());
        }
        assertEquals(emitted, known);
    }

    private static List<String> jsonFields(DomainEvent event) throws Exception {
        JsonNode json = new ObjectMapper().readTree(Json.jsonb(event).getValue());
        Set<String> names = new LinkedHashSet<>();
        json.fieldNames().forEachRemaining(names::add);
        return new ArrayList<>(names);
    }
}
