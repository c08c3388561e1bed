package org.ordersaga.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a newer schema of an event reads every event an older one allowed: a schema registry's BACKWARD rule, over
 * the JSON Schema the events' schemas are made of (objects, arrays, scalar types and null, enums, {@code anyOf},
 * references into {@code $defs}). A field removed or renamed, a type changed, a required field that older events may lack (without a
 * {@code default}) or an enum that lost a value is a breaking change. A registry checks this when a schema is
 * registered; the build checks it here, with no registry, and no maintained checker of JSON Schema compatibility is
 * published to Maven Central (Apicurio's and Confluent's are parts of their registries).
 */
final class SchemaCompatibility {

    private SchemaCompatibility() {}

    /** What keeps {@code reader} from reading every value {@code writer} allows; empty when it reads them all. */
    static List<String> problems(JsonNode reader, JsonNode writer) {
        List<String> problems = new ArrayList<>();
        new Comparison(reader, writer, problems).compare(reader, writer, "payload");
        return problems;
    }

    /** The schema a {@code $ref} into the same document names, or the schema itself. */
    static JsonNode resolve(JsonNode root, JsonNode schema) {
        while (schema.has("$ref")) {
            String reference = schema.get("$ref").asText();
            if (!reference.startsWith("#/")) {
                throw new IllegalArgumentException("only references inside the schema are read: " + reference);
            }
            schema = root.at(reference.substring(1));
            if (schema.isMissingNode()) {
                throw new IllegalArgumentException("no " + reference + " in the schema");
            }
        }
        return schema;
    }

    private record Comparison(JsonNode readerRoot, JsonNode writerRoot, List<String> problems) {

        void compare(JsonNode reader, JsonNode writer, String path) {
            reader = resolve(readerRoot, reader);
            writer = resolve(writerRoot, writer);
            if (reader.has("anyOf") || writer.has("anyOf")) {
                compareAlternatives(reader, writer, path);
                return;
            }
            if (!compareTypes(reader, writer, path)) {
                return;
            }
            compareEnums(reader, writer, path);
            compareProperties(reader, writer, path);
            if (reader.has("items") && writer.has("items")) {
                compare(reader.get("items"), writer.get("items"), path + "[]");
            }
        }

        /**
         * Every value one of the writer's alternatives allows must be read by one of the reader's: where none reads
         * it whole, the problems of the one closest to it are the reasons.
         */
        private void compareAlternatives(JsonNode reader, JsonNode writer, String path) {
            for (JsonNode written : alternatives(writer)) {
                List<String> closest = null;
                for (JsonNode read : alternatives(reader)) {
                    List<String> found = new ArrayList<>();
                    new Comparison(readerRoot, writerRoot, found).compare(read, written, path);
                    if (closest == null || found.size() < closest.size()) {
                        closest = found;
                    }
                }
                problems.addAll(closest);
            }
        }

        private static List<JsonNode> alternatives(JsonNode schema) {
            List<JsonNode> alternatives = new ArrayList<>();
            if (schema.has("anyOf")) {
                schema.get("anyOf").forEach(alternatives::add);
            } else {
                alternatives.add(schema);
            }
            return alternatives;
        }

        /** False when a value of the writer's type is not read, which says all there is to say about the two. */
        private boolean compareTypes(JsonNode reader, JsonNode writer, String path) {
            Set<String> readerTypes = strings(reader.path("type"));
            Set<String> writerTypes = strings(writer.path("type"));
            if (readerTypes.isEmpty()) {
                return true;
            }
            if (writerTypes.isEmpty()) {
                problems.add(path + ": any value before, only " + readerTypes + " now");
                return false;
            }
            for (String type : writerTypes) {
                boolean read = readerTypes.contains(type) || (type.equals("integer") && readerTypes.contains("number"));
                if (!read) {
                    problems.add(path + ": type " + writerTypes + " became " + readerTypes);
                    return false;
                }
            }
            return true;
        }

        private void compareEnums(JsonNode reader, JsonNode writer, String path) {
            if (!reader.has("enum")) {
                return;
            }
            if (!writer.has("enum")) {
                problems.add(path + ": any value before, only " + strings(reader.get("enum")) + " now");
                return;
            }
            Set<String> dropped = strings(writer.get("enum"));
            dropped.removeAll(strings(reader.get("enum")));
            if (!dropped.isEmpty()) {
                problems.add(path + ": the enum no longer has " + dropped);
            }
        }

        private void compareProperties(JsonNode reader, JsonNode writer, String path) {
            JsonNode readerFields = reader.path("properties");
            JsonNode writerFields = writer.path("properties");
            writerFields.fieldNames().forEachRemaining(name -> {
                if (readerFields.has(name)) {
                    compare(readerFields.get(name), writerFields.get(name), path + "." + name);
                } else {
                    problems.add(path + "." + name + ": removed or renamed");
                }
            });
            Set<String> requiredBefore = strings(writer.path("required"));
            for (String name : strings(reader.path("required"))) {
                if (!requiredBefore.contains(name) && !readerFields.path(name).has("default")) {
                    problems.add(path + "." + name + ": required now, and older events may lack it");
                }
            }
        }

        private static Set<String> strings(JsonNode node) {
            Set<String> values = new LinkedHashSet<>();
            if (node.isArray()) {
                node.forEach(value -> values.add(value.asText()));
            } else if (!node.isMissingNode()) {
                values.add(node.asText());
            }
            return values;
        }
    }
}
