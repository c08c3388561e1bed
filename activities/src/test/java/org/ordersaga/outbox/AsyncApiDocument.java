package org.ordersaga.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ordersaga.saga.SagaService;

/**
 * {@code docs/events/asyncapi.yaml}, the topics as an AsyncAPI 3 document: each service's topic and its dead-letter
 * topic, the key, the headers, and a message per event type and schema version whose payload is the envelope's schema
 * with the type's schema by reference to its file. Derived from the event types and the schema files, like the
 * schemas; the headers are the relay's, which {@code OutboxRelayIT} checks against what it writes.
 */
final class AsyncApiDocument {

    static final Path FILE = EventSchemas.DIRECTORY.getParent().resolve("asyncapi.yaml");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final String KAFKA_BINDING = "0.5.0";

    /** The headers of every record, with what they hold; true for those every record has. */
    static final Map<String, Header> HEADERS = headers();

    record Header(String description, boolean always) {}

    private AsyncApiDocument() {}

    static ObjectNode derive() {
        ObjectNode document = YAML.createObjectNode();
        document.put("asyncapi", "3.1.0");
        ObjectNode info = document.putObject("info");
        info.put("title", "Order saga events");
        info.put("version", "1.0.0");
        info.put(
                "description",
                "The events the order saga's services publish, each through its outbox, at least once and in order per"
                        + " order, in Kafka transactions: read them with isolation.level=read_committed. The contract"
                        + " in prose is docs/events.md; each message's payload is the envelope,"
                        + " whose payload follows the JSON Schema of its type and version. Topic names take a"
                        + " configurable prefix.");
        document.put("defaultContentType", "application/json");
        ObjectNode channels = document.putObject("channels");
        ObjectNode operations = document.putObject("operations");
        ObjectNode components = document.putObject("components");
        ObjectNode messages = components.putObject("messages");
        components.putObject("schemas").set("headers", headersSchema());
        messages.set("deadLetter", deadLetter());
        for (SagaService service : SagaService.values()) {
            String topic = EventTopics.topic("", service);
            ObjectNode channel = channel(
                    channels,
                    service.id(),
                    topic,
                    "The events of the " + service.id()
                            + " service, keyed by order id: an order's events are in one partition, in commit order.");
            ArrayNode sent = YAML.createArrayNode();
            for (EventType type : EventType.values()) {
                if (type.service() != service) {
                    continue;
                }
                for (int version : EventSchemas.versions(type)) {
                    String name = type.typeName() + "V" + version;
                    messages.set(name, message(type, version));
                    channel.with("messages").putObject(name).put("$ref", "#/components/messages/" + name);
                    sent.addObject().put("$ref", "#/channels/" + service.id() + "/messages/" + name);
                }
            }
            operation(operations, "publish" + capitalized(service.id()), service.id(), sent)
                    .put("summary", "The " + service.id() + " service's outbox relay publishes its events.");

            String deadLetters = service.id() + "DeadLetters";
            channel(
                            channels,
                            deadLetters,
                            EventTopics.deadLetter(topic),
                            "The messages of " + topic
                                    + " that a consumer could not process, as they were, with why and from where.")
                    .with("messages")
                    .putObject("deadLetter")
                    .put("$ref", "#/components/messages/deadLetter");
            ArrayNode letters = YAML.createArrayNode();
            letters.addObject().put("$ref", "#/channels/" + deadLetters + "/messages/deadLetter");
            operation(operations, "deadLetter" + capitalized(service.id()), deadLetters, letters)
                    .put("summary", "The order-view projection parks a message of " + topic + " it cannot apply.");
        }
        return document;
    }

    static JsonNode read() {
        try {
            return YAML.readTree(FILE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    static void write(JsonNode document) {
        try {
            Files.writeString(FILE, YAML.writeValueAsString(document));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }

    private static ObjectNode channel(ObjectNode channels, String id, String topic, String description) {
        ObjectNode channel = channels.putObject(id);
        channel.put("address", topic);
        channel.put("description", description);
        channel.putObject("bindings").putObject("kafka").put("topic", topic).put("bindingVersion", KAFKA_BINDING);
        return channel;
    }

    private static ObjectNode operation(ObjectNode operations, String id, String channel, ArrayNode messages) {
        ObjectNode operation = operations.putObject(id);
        operation.put("action", "send");
        operation.putObject("channel").put("$ref", "#/channels/" + channel);
        operation.set("messages", messages);
        return operation;
    }

    /** The envelope, with its type, version and payload's schema fixed for this message. */
    private static ObjectNode message(EventType type, int version) {
        ObjectNode message = YAML.createObjectNode();
        message.put("name", type.typeName());
        message.put("title", type.typeName() + " v" + version);
        message.put("summary", EventsDoc.summaries().get(type.typeName()));
        message.putObject("headers").put("$ref", "#/components/schemas/headers");
        ArrayNode payload = message.putObject("payload").putArray("allOf");
        payload.addObject().put("$ref", relative(EventSchemas.envelopeFile()));
        ObjectNode fixed = payload.addObject();
        fixed.put("type", "object");
        ObjectNode properties = fixed.putObject("properties");
        properties.putObject("type").put("const", type.typeName());
        properties.putObject("schemaVersion").put("const", version);
        properties.putObject("payload").put("$ref", relative(EventSchemas.file(type, version)));
        key(message);
        return message;
    }

    private static ObjectNode deadLetter() {
        ObjectNode message = YAML.createObjectNode();
        message.put("name", "DeadLetter");
        message.put("summary", "A message as it was on its topic (key, value, headers), with why it was parked.");
        ObjectNode headers = message.putObject("headers");
        headers.put("type", "object");
        ObjectNode properties = headers.putObject("properties");
        properties
                .putObject("dlq.reason")
                .put("type", "string")
                .put("description", "why the consumer could not process it");
        properties
                .putObject("dlq.source")
                .put("type", "string")
                .put("description", "where it was: topic-partition@offset");
        headers.putArray("required").add("dlq.reason").add("dlq.source");
        message.putObject("payload").put("description", "the original value, which may not even be JSON");
        key(message);
        return message;
    }

    private static void key(ObjectNode message) {
        message.putObject("bindings")
                .putObject("kafka")
                .put("bindingVersion", KAFKA_BINDING)
                .putObject("key")
                .put("type", "string")
                .put("description", "the order id");
    }

    private static ObjectNode headersSchema() {
        ObjectNode schema = YAML.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = YAML.createArrayNode();
        HEADERS.forEach((name, header) -> {
            properties.putObject(name).put("type", "string").put("description", header.description());
            if (header.always()) {
                required.add(name);
            }
        });
        schema.set("required", required);
        return schema;
    }

    private static Map<String, Header> headers() {
        Map<String, Header> headers = new LinkedHashMap<>();
        headers.put("id", new Header("the event id, as in the envelope", true));
        headers.put("type", new Header("the event's type, as in the envelope", true));
        headers.put("schemaVersion", new Header("the payload's version for its type, as in the envelope", true));
        headers.put(
                "traceparent",
                new Header("W3C trace context, when the transaction that wrote the event ran in a trace", false));
        headers.put("ce_specversion", new Header("CloudEvents binary mode: 1.0", true));
        headers.put("ce_id", new Header("the event id", true));
        headers.put("ce_source", new Header("the publishing service, urn:order-saga:services:<service>", true));
        headers.put("ce_type", new Header("the event's type", true));
        headers.put("ce_time", new Header("when the transaction wrote the event (RFC 3339)", true));
        headers.put("ce_subject", new Header("the order id", true));
        headers.put("ce_dataschema", new Header("the $id of the JSON Schema of the payload's type and version", true));
        headers.put("content-type", new Header("application/json", true));
        return headers;
    }

    /** A schema file's path from the document's folder. */
    private static String relative(Path schema) {
        return FILE.getParent().relativize(schema).toString();
    }

    private static String capitalized(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
