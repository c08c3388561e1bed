package org.ordersaga.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * The smallest event a schema allows: each required field, of its first type that is not null, the first value of
 * an enum, one item in an array. An event of an old version, when its record is long gone.
 */
final class SchemaExamples {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaExamples() {}

    static JsonNode of(JsonNode schema) {
        return example(schema, schema);
    }

    private static JsonNode example(JsonNode root, JsonNode reference) {
        JsonNode schema = SchemaCompatibility.resolve(root, reference);
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        if (schema.has("anyOf")) {
            for (JsonNode alternative : schema.get("anyOf")) {
                if (!alternative.path("type").asText().equals("null")) {
                    return example(root, alternative);
                }
            }
        }
        return switch (firstType(schema)) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                schema.path("required")
                        .forEach(name -> object.set(
                                name.asText(),
                                example(root, schema.get("properties").get(name.asText()))));
                yield object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                yield array.add(example(root, schema.get("items")));
            }
            case "number" -> NODES.numberNode(new BigDecimal("30.00"));
            case "integer" -> NODES.numberNode(1);
            case "boolean" -> NODES.booleanNode(true);
            case "string" ->
                NODES.textNode(schema.path("format").asText().equals("date-time") ? "2026-11-23T10:00:00Z" : "example");
            default -> NODES.nullNode();
        };
    }

    private static String firstType(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode each : type) {
                if (!each.asText().equals("null")) {
                    return each.asText();
                }
            }
        }
        return type.asText();
    }
}
