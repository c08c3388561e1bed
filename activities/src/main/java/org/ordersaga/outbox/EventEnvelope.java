package org.ordersaga.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.RawValue;
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
     * read exactly and kept as written (30.00 stays 30.00, not 3E+1), since payloads carry money.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /**
     * The envelope of an outbox row, as the relay sends it. Its payload is the stored JSON written as it is (Jackson's
     * {@link RawValue}): parsing it into a tree only to write it out again was the relay's largest cost, and turned
     * 30.00 into 3E+1. For writing only: this envelope's payload is not a tree to read.
     */
    static EventEnvelope of(OutboxRow row) {
        return new EventEnvelope(
                row.id(),
                row.type(),
                row.schemaVersion(),
                row.createdAt(),
                row.aggregateType(),
                row.aggregateId(),
                row.aggregateId(),
                row.correlationId(),
                MAPPER.getNodeFactory().rawValueNode(new RawValue(row.payload())));
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
