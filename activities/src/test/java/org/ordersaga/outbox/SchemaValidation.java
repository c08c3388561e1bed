package org.ordersaga.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Checks an event as it is on Kafka against its published schemas: the envelope's, and its type's version's. */
public final class SchemaValidation {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<Path, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private SchemaValidation() {}

    /** What the event's envelope or payload breaks in its schemas; empty when it keeps them all. */
    public static List<String> violations(byte[] value) {
        JsonNode envelope;
        try {
            envelope = EventSchemas.MAPPER.readTree(value);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        List<String> violations = new ArrayList<>(messages(EventSchemas.envelopeFile(), envelope));
        if (violations.isEmpty()) {
            EventType type = EventType.named(envelope.get("type").asText());
            Path schema = EventSchemas.file(type, envelope.get("schemaVersion").asInt());
            if (Files.exists(schema)) {
                violations.addAll(messages(schema, envelope.get("payload")));
            } else {
                violations.add("no schema " + schema + " for this event's type and schemaVersion");
            }
        }
        return violations;
    }

    /** What the JSON breaks in the schema of that file. */
    static List<String> messages(Path file, JsonNode json) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(file, SchemaValidation::load);
        return schema.validate(json).stream()
                .map(ValidationMessage::getMessage)
                .map(message -> file.getFileName() + ": " + message)
                .toList();
    }

    private static JsonSchema load(Path file) {
        return FACTORY.getSchema(EventSchemas.read(file));
    }
}
