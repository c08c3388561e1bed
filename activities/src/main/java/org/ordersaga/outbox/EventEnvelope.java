package org.ordersaga.outbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
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
     * The envelope of an outbox row, as the relay sends it. Written field by field with the payload copied as stored,
     * since building a tree of every payload only to write it out again was the relay's largest cost; it is the JSON
     * {@link #toJson()} writes for the same envelope.
     */
    static byte[] json(OutboxRow row) {
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(256 + row.payload().length());
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("eventId", row.id().toString());
            json.writeStringField("type", row.type());
            json.writeNumberField("schemaVersion", row.schemaVersion());
            json.writeStringField("occurredAt", row.createdAt().toString());
            json.writeStringField("aggregateType", row.aggregateType());
            json.writeStringField("aggregateId", row.aggregateId());
            json.writeStringField("orderId", row.aggregateId());
            json.writeStringField("correlationId", row.correlationId());
            json.writeFieldName("payload");
            json.writeRawValue(row.payload());
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write event " + row.id(), e);
        }
        return bytes.toByteArray();
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
