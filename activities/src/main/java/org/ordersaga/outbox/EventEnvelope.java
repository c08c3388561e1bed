package org.ordersaga.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * The JSON value of every event on Kafka. {@code aggregateId} and {@code orderId} are both the order id (the
 * message key); {@code correlationId} is the saga's workflow id.
 */
public record EventEnvelope(
        UUID eventId,
        String type,
        int schemaVersion,
        Instant occurredAt,
        String aggregateType,
        String aggregateId,
        String orderId,
        String correlationId,
        JsonNode payload) {

    /**
     * ISO-8601 times; unknown fields ignored, so additive changes to the envelope never break a reader; decimals
     * read exactly, since payloads carry money.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static EventEnvelope of(OutboxRow row) {
        try {
            return new EventEnvelope(
                    row.id(),
                    row.type(),
                    row.schemaVersion(),
                    row.createdAt(),
                    row.aggregateType(),
                    row.aggregateId(),
                    row.aggregateId(),
                    row.correlationId(),
                    MAPPER.readTree(row.payload()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox row " + row.id() + " holds invalid JSON", e);
        }
    }

    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + eventId, e);
        }
    }

    /** Reads an envelope; throws {@link IllegalArgumentException} for anything that is not one. */
    public static EventEnvelope parse(byte[] json) {
        EventEnvelope envelope;
        try {
            envelope = MAPPER.readValue(json, EventEnvelope.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an event envelope: " + e.getMessage(), e);
        }
        if (envelope.eventId() == null
                || envelope.type() == null
                || envelope.orderId() == null
                || envelope.occurredAt() == null
                || envelope.payload() == null) {
            throw new IllegalArgumentException("event envelope lacks eventId, type, orderId, occurredAt or payload");
        }
        return envelope;
    }
}
