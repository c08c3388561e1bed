package org.ordersaga.outbox;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Every record the relay sends is a CloudEvent in Kafka's binary mode: its attributes are {@code ce_*} headers,
 * written by the CloudEvents SDK, and its data is the event's envelope, as before. So a standard CloudEvents consumer
 * reads the topics, and {@code ce_dataschema} names the JSON Schema the envelope's payload follows.
 */
final class CloudEvents {

    private static final String CONTENT_TYPE = "application/json";
    /** One URI per service and per type and version: parsing one per record would cost the relay for nothing. */
    private static final Map<String, URI> URIS = new ConcurrentHashMap<>();

    private CloudEvents() {}

    /** The record for an outbox row: keyed by its order, the envelope as value, the event's attributes as headers. */
    static ProducerRecord<String, byte[]> record(String topic, OutboxRow row) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(row.id().toString())
                .withSource(source(row.aggregateType()))
                .withType(row.type())
                .withTime(row.createdAt().atOffset(ZoneOffset.UTC))
                .withSubject(row.aggregateId())
                .withDataSchema(dataSchema(row.aggregateType(), row.type(), row.schemaVersion()))
                .withDataContentType(CONTENT_TYPE)
                .withData(EventEnvelope.of(row).toJson())
                .build();
        return KafkaMessageFactory.<String>createWriter(topic, row.aggregateId())
                .writeBinary(event);
    }

    /** The publishing service: {@code urn:order-saga:services:payment}. */
    static URI source(String service) {
        return URIS.computeIfAbsent("urn:order-saga:services:" + service, URI::create);
    }

    /** The {@code $id} of the JSON Schema of a type's version: {@code urn:order-saga:events:payment:PaymentCharged:v2}. */
    static URI dataSchema(String service, String type, int version) {
        return URIS.computeIfAbsent("urn:order-saga:events:" + service + ":" + type + ":v" + version, URI::create);
    }
}
