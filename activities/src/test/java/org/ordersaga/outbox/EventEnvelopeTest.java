package org.ordersaga.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final OutboxRow row = new OutboxRow(
            42,
            UUID.randomUUID(),
            "payment",
            "order-\"7\"",
            "PaymentCharged",
            "{\"amount\": 100.00, \"currency\": \"EUR\", \"customer\": {\"name\": \"Zoë \\\"Z\\\" Ødegård\"},"
                    + " \"lines\": [1, 2.0, null, true]}",
            3,
            "order-7",
            Instant.parse("2026-12-01T04:05:06.123456Z"),
            null);

    @Test
    void theRelaysEnvelopeIsWhatTheEnvelopeRecordWritesForTheSameRow() throws Exception {
        EventEnvelope expected = new EventEnvelope(
                row.id(),
                row.type(),
                row.schemaVersion(),
                row.createdAt(),
                row.aggregateType(),
                row.aggregateId(),
                row.aggregateId(),
                row.correlationId(),
                JSON.readTree(row.payload()));

        byte[] relayed = EventEnvelope.of(row).toJson();

        EventEnvelope read = EventEnvelope.parse(relayed);
        assertEquals(expected, read);
        assertEquals(JSON.readTree(expected.toJson()), JSON.readTree(relayed), "field for field, as the record writes");
        assertTrue(
                new String(relayed, StandardCharsets.UTF_8).contains("\"payload\":{\"amount\": 100.00,"),
                "money exactly as stored");
        assertTrue(
                new String(read.toJson(), StandardCharsets.UTF_8).contains("\"payload\":{\"amount\":100.00,"),
                "and as read: " + new String(read.toJson(), StandardCharsets.UTF_8));
    }
}
