package org.ordersaga.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ordersaga.inventory.InventoryEvents;
import org.ordersaga.orders.OrderEvents;
import org.ordersaga.payment.PaymentEvents;
import org.ordersaga.saga.SagaService;
import org.ordersaga.shipping.ShippingEvents;

/**
 * The events' JSON Schemas (draft 2020-12) under {@code docs/events/schemas/}: one file per event type and schema
 * version, {@code <service>/<Type>.v<N>.json}, and the envelope's, {@code envelope.v1.json}. The schema of a type's
 * current version is derived from its record: every component is required, and may not be null, unless it is
 * {@link Nullable} (a field that older events of the version lack, or that may be null).
 */
final class EventSchemas {

    static final Path DIRECTORY = Path.of("..", "docs", "events", "schemas");
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern VERSION_FILE = Pattern.compile("(\\w+)\\.v(\\d+)\\.json");
    private static final SchemaGenerator GENERATOR = generator();

    private EventSchemas() {}

    /** The records each service emits its events as, declared in one class per service. */
    static final Map<Class<?>, SagaService> EVENTS_BY_SERVICE = Map.of(
            OrderEvents.class, SagaService.ORDERS,
            InventoryEvents.class, SagaService.INVENTORY,
            PaymentEvents.class, SagaService.PAYMENT,
            ShippingEvents.class, SagaService.SHIPPING);

    /** Each event type's record, as the services emit it now. */
    static Map<EventType, Class<? extends DomainEvent>> records() {
        Map<EventType, Class<? extends DomainEvent>> records = new EnumMap<>(EventType.class);
        EVENTS_BY_SERVICE.keySet().stream()
                .flatMap(events -> Arrays.stream(events.getDeclaredClasses()))
                .filter(DomainEvent.class::isAssignableFrom)
                .forEach(event ->
                        records.put(EventType.named(event.getSimpleName()), event.asSubclass(DomainEvent.class)));
        return records;
    }

    /** The schema version the services emit now: what the record's {@link DomainEvent#schemaVersion()} says. */
    static int currentVersion(Class<? extends DomainEvent> record) {
        return empty(record).schemaVersion();
    }

    /** An instance with every component empty (null, or 0), to ask what does not depend on the values. */
    static DomainEvent empty(Class<?> record) {
        Class<?>[] types = Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        Object[] values =
                Arrays.stream(types).map(type -> type.isPrimitive() ? 0 : null).toArray();
        try {
            return (DomainEvent) record.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make an empty " + record.getSimpleName(), e);
        }
    }

    /** The schema of a type's current version, as its record says. */
    static ObjectNode derive(EventType type, Class<? extends DomainEvent> record) {
        return identified(GENERATOR.generateSchema(record), id(type, currentVersion(record)), type.typeName());
    }

    /** The envelope's schema, with the payload left to the event type's own schema. */
    static ObjectNode deriveEnvelope() {
        ObjectNode schema = GENERATOR.generateSchema(EventEnvelope.class);
        ObjectNode payload = MAPPER.createObjectNode().put("type", "object");
        payload.put("description", "the event's fields: the schema of its type and schemaVersion");
        ((ObjectNode) schema.get("properties")).set("payload", payload);
        return identified(schema, "urn:order-saga:events:envelope:v1", "EventEnvelope");
    }

    /** The stable id of a type's version, which the events name as their schema ({@code ce_dataschema}). */
    static String id(EventType type, int version) {
        return CloudEvents.dataSchema(type.service().id(), type.typeName(), version)
                .toString();
    }

    static Path file(EventType type, int version) {
        return DIRECTORY.resolve(type.service().id()).resolve(type.typeName() + ".v" + version + ".json");
    }

    static Path envelopeFile() {
        return DIRECTORY.resolve("envelope.v1.json");
    }

    /** The versions of a type that have a schema file, oldest first. */
    static List<Integer> versions(EventType type) {
        Path folder = DIRECTORY.resolve(type.service().id());
        List<Integer> versions = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.map(file -> VERSION_FILE.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .filter(name -> name.group(1).equals(type.typeName()))
                    .forEach(name -> versions.add(Integer.valueOf(name.group(2))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        versions.sort(null);
        return versions;
    }

    static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema " + file, e);
        }
    }

    static void write(Path file, JsonNode schema) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, MAPPER.writeValueAsString(schema) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the schema " + file, e);
        }
    }

    private static ObjectNode identified(ObjectNode generated, String id, String title) {
        ObjectNode schema = MAPPER.createObjectNode();
        schema.set("$schema", generated.get("$schema"));
        schema.put("$id", id);
        schema.put("title", title);
        generated.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("$schema")) {
                schema.set(field.getKey(), field.getValue());
            }
        });
        return schema;
    }

    private static SchemaGenerator generator() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(
                        MAPPER, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.EXTRA_OPEN_API_FORMAT_VALUES)
                .with(Option.NONPUBLIC_NONSTATIC_FIELDS_WITHOUT_GETTERS);
        config.forFields()
                .withRequiredCheck(field -> field.getAnnotationConsideringFieldAndGetter(Nullable.class) == null)
                .withNullableCheck(field -> field.getAnnotationConsideringFieldAndGetter(Nullable.class) != null);
        return new SchemaGenerator(config.build());
    }
}
