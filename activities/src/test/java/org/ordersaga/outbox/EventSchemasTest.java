package org.ordersaga.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ordersaga.orderview.EventUpcaster;

/**
 * The events' JSON Schemas are the contract with every consumer, and the build enforces it as a schema registry would:
 * the schema of each type's current version is the one its record derives, and every version reads the events of
 * all earlier ones (backward-transitive). {@code -Devent-schemas=write} writes the schemas the records derive, where
 * they are new or a compatible change of the published ones.
 */
class EventSchemasTest {

    private static final boolean WRITE = "write".equals(System.getProperty("event-schemas"));

    @Test
    void theSchemaOfEachTypesCurrentVersionIsTheOneItsRecordDerives() {
        List<String> problems = new ArrayList<>();
        EventSchemas.records().forEach((type, record) -> {
            int version = EventSchemas.currentVersion(record);
            check(EventSchemas.file(type, version), EventSchemas.derive(type, record), problems);
        });
        check(EventSchemas.envelopeFile(), EventSchemas.deriveEnvelope(), problems);
        assertEquals(List.of(), problems);
    }

    /**
     * A consumer reads every event of a type, however old (backward-transitive). Within a version every change is
     * compatible (above); each next version is a breaking change, or it would have kept the version, and the
     * projection's upcaster takes an event of any earlier version to one valid against the newest schema.
     */
    @Test
    void eachNewVersionOfATypeIsABreakingChangeThatTheProjectionUpcastsFromEveryEarlierOne() {
        Map<String, List<String>> problems = new TreeMap<>();
        EventSchemas.records().forEach((type, record) -> {
            int newest = EventSchemas.currentVersion(record);
            assertEquals(
                    IntStream.rangeClosed(1, newest).boxed().toList(),
                    EventSchemas.versions(type),
                    type + ": a schema for each version up to the one the services write");
            assertEquals(
                    newest, EventUpcaster.readsUpTo(type), type + ": the projection reads what the services write");
            for (int older = 1; older < newest; older++) {
                JsonNode olderSchema = EventSchemas.read(EventSchemas.file(type, older));
                String step = type.typeName() + " v" + older;
                if (SchemaCompatibility.problems(EventSchemas.read(EventSchemas.file(type, older + 1)), olderSchema)
                        .isEmpty()) {
                    problems.put(step + " to v" + (older + 1), List.of("compatible: it keeps the version"));
                }
                JsonNode upcast = EventUpcaster.upcast(type, older, SchemaExamples.of(olderSchema));
                List<String> invalid = SchemaValidation.messages(EventSchemas.file(type, newest), upcast);
                if (!invalid.isEmpty()) {
                    problems.put(step + " upcast", invalid);
                }
            }
        });
        assertEquals(Map.of(), problems);
    }

    /** The check at work on the published schemas: each kind of breaking change is refused, additions are not. */
    @Test
    void theCompatibilityCheckRefusesEachKindOfBreakingChangeAndAllowsAdditions() {
        JsonNode charged = EventSchemas.read(EventSchemas.file(EventType.PAYMENT_CHARGED, 1));
        assertBreaks(charged, schema -> properties(schema).remove("amount"), "payload.amount: removed or renamed");
        assertBreaks(
                charged,
                schema -> {
                    properties(schema).set("paymentKey", properties(schema).remove("chargeKey"));
                    replace((ArrayNode) schema.get("required"), "chargeKey", "paymentKey");
                },
                "payload.chargeKey: removed or renamed",
                "payload.paymentKey: required now, and older events may lack it");
        assertBreaks(
                charged,
                schema -> ((ObjectNode) properties(schema).get("amount")).put("type", "string"),
                "payload.amount: type [number] became [string]");
        assertBreaks(
                charged,
                schema -> {
                    properties(schema).putObject("currency").put("type", "string");
                    ((ArrayNode) schema.get("required")).add("currency");
                },
                "payload.currency: required now, and older events may lack it");
        assertAllows(charged, schema -> properties(schema).putObject("currency").put("type", "string"));
        assertAllows(
                charged,
                schema -> properties(schema)
                        .putObject("currency")
                        .put("type", "string")
                        .put("default", "EUR"));

        JsonNode compensated = EventSchemas.read(EventSchemas.file(EventType.ORDER_COMPENSATED, 1));
        ArrayNode states = firstEnum(compensated);
        String last = states.get(states.size() - 1).asText();
        assertTrue(
                SchemaCompatibility.problems(
                                mutated(
                                        compensated,
                                        schema -> firstEnum(schema)
                                                .remove(firstEnum(schema).size() - 1)),
                                compensated)
                        .stream()
                        .anyMatch(problem -> problem.endsWith("the enum no longer has [" + last + "]")),
                "a narrowed enum breaks");
        assertAllows(compensated, schema -> firstEnum(schema).add("LATER"));
        assertBreaks(
                compensated,
                schema -> properties(schema)
                        .set(
                                "failedStep",
                                properties(schema)
                                        .get("failedStep")
                                        .get("anyOf")
                                        .get(1)),
                "payload.failedStep: type [null] became [string]");
    }

    /** The pipeline tests validate what reaches Kafka with this; here it is shown to catch an event off its schema. */
    @Test
    void anEventIsValidatedAgainstTheEnvelopesSchemaAndItsTypesVersion() throws Exception {
        ObjectNode payload = EventSchemas.MAPPER
                .createObjectNode()
                .put("orderId", "42")
                .put("chargeKey", "order-42:CHARGE_PAYMENT")
                .put("customerId", "cust-ok")
                .put("amount", new BigDecimal("30.00"));
        EventEnvelope charged = new EventEnvelope(
                UUID.randomUUID(),
                "PaymentCharged",
                1,
                Instant.parse("2026-11-23T12:47:49Z"),
                "payment",
                "42",
                "42",
                "order-42",
                payload);
        assertEquals(List.of(), SchemaValidation.violations(charged.toJson()));

        payload.put("amount", "30.00");
        assertEquals(
                List.of("PaymentCharged.v1.json: $.amount: string found, number expected"),
                SchemaValidation.violations(charged.toJson()));
        payload.remove("chargeKey");
        assertEquals(2, SchemaValidation.violations(charged.toJson()).size(), "and a required field missing");
        ObjectNode noVersion = (ObjectNode) EventSchemas.MAPPER.readTree(charged.toJson());
        noVersion.remove("schemaVersion");
        assertTrue(SchemaValidation.violations(noVersion.toString().getBytes(StandardCharsets.UTF_8)).stream()
                .anyMatch(violation -> violation.startsWith("envelope.v1.json: ")));
    }

    @Test
    void theEventsDocumentLinksEachTypeToTheSchemaOfEachOfItsVersions() {
        Map<String, List<String>> expected = new TreeMap<>();
        for (EventType type : EventType.values()) {
            expected.put(
                    type.typeName(),
                    EventSchemas.versions(type).stream()
                            .map(version -> Path.of("..", "docs")
                                    .relativize(EventSchemas.file(type, version))
                                    .toString())
                            .toList());
        }
        assertEquals(expected, EventsDoc.schemaLinks());
    }

    private static void check(Path file, JsonNode derived, List<String> problems) {
        if (Files.exists(file)) {
            JsonNode published = EventSchemas.read(file);
            if (published.equals(derived)) {
                return;
            }
            List<String> breaking = SchemaCompatibility.problems(derived, published);
            if (!breaking.isEmpty()) {
                problems.add(file + ": the record changed incompatibly " + breaking
                        + "; a breaking change takes the next schemaVersion, and an upcaster in its consumers");
                return;
            }
        }
        if (WRITE) {
            EventSchemas.write(file, derived);
        } else {
            problems.add(file + " is not the schema its record derives; to write it: ./mvnw -pl activities test"
                    + " -Dtest=EventSchemasTest -Devent-schemas=write");
        }
    }

    private static void assertBreaks(JsonNode published, Consumer<ObjectNode> change, String... problems) {
        assertEquals(List.of(problems), SchemaCompatibility.problems(mutated(published, change), published));
    }

    private static void assertAllows(JsonNode published, Consumer<ObjectNode> change) {
        assertEquals(List.of(), SchemaCompatibility.problems(mutated(published, change), published));
    }

    private static ObjectNode mutated(JsonNode published, Consumer<ObjectNode> change) {
        ObjectNode copy = published.deepCopy();
        change.accept(copy);
        return copy;
    }

    private static ObjectNode properties(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    private static void replace(ArrayNode values, String value, String replacement) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).asText().equals(value)) {
                values.set(i, replacement);
            }
        }
    }

    /** The first enum in the schema, depth first. */
    private static ArrayNode firstEnum(JsonNode schema) {
        if (schema.has("enum")) {
            return (ArrayNode) schema.get("enum");
        }
        for (JsonNode child : schema) {
            if (child.isContainerNode()) {
                ArrayNode found = firstEnum(child);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
