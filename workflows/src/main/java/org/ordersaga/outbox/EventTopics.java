package org.ordersaga.outbox;

import java.util.Arrays;
import java.util.List;
import org.ordersaga.saga.SagaService;

/** Where each service's events are published: {@code <prefix><aggregateType>.events}. */
public final class EventTopics {

    /** The aggregate types of the services' outboxes, each its own topic: the services' names. */
    public static final List<String> AGGREGATE_TYPES =
            Arrays.stream(SagaService.values()).map(SagaService::id).toList();

    private EventTopics() {}

    /** The topic of an outbox row's aggregate type. */
    public static String topic(String prefix, String aggregateType) {
        return prefix + aggregateType + ".events";
    }

    /** The topic a service publishes to: {@code <prefix>payment.events}. */
    public static String topic(String prefix, SagaService service) {
        return topic(prefix, service.id());
    }

    public static List<String> all(String prefix) {
        return AGGREGATE_TYPES.stream().map(type -> topic(prefix, type)).toList();
    }

    /** Where a consumer parks a message it cannot process: {@code <topic>.dlq}. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
