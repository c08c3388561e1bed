package org.ordersaga.orderview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ordersaga.Await;
import org.ordersaga.db.Queries;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.kafka.SharedKafka;
import org.ordersaga.kafka.TopicReader;
import org.ordersaga.local.KafkaBroker;
import org.ordersaga.outbox.EventEnvelope;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.outbox.EventType;
import org.ordersaga.outbox.OutboxRelay;
import org.ordersaga.outbox.SchemaValidation;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.SagaService;

/** The projection fed by hand-made messages on a real broker: poison, and events in any order across topics. */
class OrderViewProjectionIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private final KafkaBroker broker = SharedKafka.broker();

    private TestDatabases databases;
    private DataSource view;
    private Producer<String, byte[]> producer;
    private OrderViewProjection projection;
    private String prefix;
    private final MeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        databases = TestDatabases.create();
        view = databases.dataSource(ServiceSchema.ORDER_VIEW);
        prefix = "v" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicReader.createTopics(broker.bootstrapServers(), EventTopics.all(prefix));
        producer = new KafkaProducer<>(OutboxRelay.producerProperties(broker.bootstrapServers()));
        projection = projection(false);
    }

    private OrderViewProjection projection(boolean rebuild) {
        return new OrderViewProjection(
                        view,
                        broker.bootstrapServers(),
                        producer,
                        new ProjectionSettings(
                                prefix,
                                "view-" + prefix,
                                3,
                                Duration.ofMillis(50),
                                rebuild,
                                Duration.ofSeconds(1),
                                ProjectionSettings.DEFAULT.batchWait()),
                        meters,
                        OpenTelemetry.noop())
                .start();
    }

    @AfterEach
    void stop() {
        projection.close();
        producer.close();
        databases.close();
    }

    @Test
    void theStatusesTheViewCanHoldAreTheSagasStatuses() {
        assertEquals(Queries.allowedStatuses(view, "order_view"), Queries.names(OrderStatus.class));
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicAndTheProjectionGoesOn() throws Exception {
        String topic = EventTopics.topic(prefix, SagaService.ORDERS);
        producer.send(new ProducerRecord<>(topic, "poison-1", "{not an envelope".getBytes(StandardCharsets.UTF_8)))
                .get();
        send(event("ok-1", "orders", "OrderPlaced", 0, Map.of("customerId", "cust-ok")));

        Await.until(
                "the next event is applied",
                Duration.ofSeconds(60),
                () -> !Queries.strings(view, "SELECT status FROM order_view WHERE order_id = ?", "ok-1")
                        .isEmpty());
        List<ConsumerRecord<String, byte[]>> letters = TopicReader.readUntil(
                broker.bootstrapServers(),
                List.of(EventTopics.deadLetter(topic)),
                records -> !records.isEmpty(),
                Duration.ofSeconds(30));

        assertEquals(1, letters.size());
        assertEquals("poison-1", letters.get(0).key());
        assertEquals("{not an envelope", new String(letters.get(0).value(), StandardCharsets.UTF_8));
        assertTrue(new String(letters.get(0).headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8)
                .contains("not an event envelope"));
        assertEquals(
                1.0,
                meters.counter("order.view.dead.lettered", "consumer", "view-" + prefix)
                        .count());
    }

    @Test
    void eventsOfAnOrderArrivingInAnyOrderAcrossTopicsGiveTheSameView() throws Exception {
        List<EventEnvelope> forward = completedSaga("fwd-1");
        List<EventEnvelope> backward = new ArrayList<>(completedSaga("bwd-1"));
        Collections.reverse(backward);
        for (EventEnvelope event : forward) {
            send(event);
        }
        for (EventEnvelope event : backward) {
            send(event);
        }
        send(forward.get(2));

        Await.until(
                "both orders complete",
                Duration.ofSeconds(60),
                () -> Queries.strings(
                                        view,
                                        "SELECT order_id FROM order_view WHERE status = 'COMPLETED' AND event_count = 5")
                                .size()
                        == 2);
        assertEquals(row("fwd-1"), row("bwd-1"));
        assertEquals(List.of("COMPLETED", "cust-ok", "30.00", "5"), row("fwd-1").subList(0, 4));
    }

    /**
     * PaymentCharged v1, as the services wrote it before v2, and v2 give the same view, before and after a rebuild
     * from the topics: the projection upcasts v1 when it reads it.
     */
    @Test
    void version1PaymentEventsOnTheTopicsFollowedByVersion2OnesRebuildIntoTheSameView() throws Exception {
        List<EventEnvelope> v1 = completedSaga("pay-v1", 1);
        List<EventEnvelope> v2 = completedSaga("pay-v2", 2);
        for (EventEnvelope charged : List.of(v1.get(2), v2.get(2))) {
            assertEquals(List.of(), SchemaValidation.violations(charged.toJson()), "a PaymentCharged of its version");
        }
        for (EventEnvelope event : v1) {
            send(event);
        }
        for (EventEnvelope event : v2) {
            send(event);
        }
        List<List<String>> views = awaitCompleted("pay-v1", "pay-v2");
        assertEquals(views.get(0), views.get(1));
        assertEquals(List.of("30.00", "EUR"), views.get(0).subList(6, 8), "paid, with its currency");

        projection.close();
        projection = projection(true);
        assertEquals(views, awaitCompleted("pay-v1", "pay-v2"), "rebuilt from the topics");
    }

    /**
     * OrderPlaced and ShipmentCreated v1, as the services wrote them before v2, carried the customer's name and
     * address: the view keeps them as v2, the country alone, and its order is the same.
     */
    @Test
    void version1EventsWithANameAndAddressAreKeptWithoutThem() throws Exception {
        Map<String, Object> address = Map.of(
                "name", "Ada Lovelace",
                "line1", "12 St James's Square",
                "city", "London",
                "postalCode", "SW1Y 4JH",
                "country", "GB");
        List<EventEnvelope> saga = new ArrayList<>(completedSaga("pii-v1", 2));
        saga.set(
                0,
                event(
                        "pii-v1",
                        "orders",
                        "OrderPlaced",
                        1,
                        0,
                        Map.of(
                                "orderId",
                                "pii-v1",
                                "customerId",
                                "cust-ok",
                                "items",
                                List.of(),
                                "shippingAddress",
                                address)));
        saga.set(
                3,
                event(
                        "pii-v1",
                        "shipping",
                        "ShipmentCreated",
                        1,
                        3,
                        Map.of(
                                "orderId",
                                "pii-v1",
                                "shipmentKey",
                                "k",
                                "trackingNumber",
                                "TRK-1",
                                "address",
                                address)));
        for (int placedOrShipped : List.of(0, 3)) {
            assertEquals(
                    List.of(),
                    SchemaValidation.violations(saga.get(placedOrShipped).toJson()),
                    "a v1 event");
        }
        for (EventEnvelope event : saga) {
            send(event);
        }
        assertEquals("COMPLETED", awaitCompleted("pii-v1").get(0).get(0));
        assertEquals(
                List.of("OrderPlaced 2 GB", "ShipmentCreated 2 GB"),
                Queries.strings(
                        view,
                        "SELECT type || ' ' || schema_version || ' ' || (payload ->> 'shippingCountry') FROM order_events"
                                + " WHERE order_id = 'pii-v1' AND payload ->> 'shippingCountry' IS NOT NULL ORDER BY occurred_at"));
        assertEquals(
                List.of(),
                Queries.strings(
                        view,
                        "SELECT event_id::text FROM order_events WHERE order_id = 'pii-v1'"
                                + " AND (payload::text LIKE '%Lovelace%' OR payload::text LIKE '%James%')"),
                "no name or street kept");
    }

    @Test
    void anEventOfAVersionTheProjectionDoesNotReadGoesToTheDeadLetterTopicWithTheReason() throws Exception {
        EventEnvelope newer = new EventEnvelope(
                UUID.randomUUID(),
                "PaymentCharged",
                3,
                T0,
                "payment",
                "pay-v3",
                "pay-v3",
                "order-pay-v3",
                MAPPER.createObjectNode().put("charged", "in a shape of the future"));
        send(newer);
        send(event("pay-v3", "orders", "OrderPlaced", 0, Map.of("customerId", "cust-ok")));

        List<ConsumerRecord<String, byte[]>> letters = TopicReader.readUntil(
                broker.bootstrapServers(),
                List.of(EventTopics.deadLetter(EventTopics.topic(prefix, SagaService.PAYMENT))),
                records -> !records.isEmpty(),
                Duration.ofSeconds(60));
        assertEquals(
                newer.eventId(), EventEnvelope.parse(letters.get(0).value()).eventId());
        assertEquals(
                "java.lang.IllegalArgumentException: PaymentCharged v3 is newer than this consumer reads (v2):"
                        + " deploy consumers before producers",
                new String(letters.get(0).headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8));
        Await.until(
                "the order's other event is applied",
                Duration.ofSeconds(60),
                () -> Queries.strings(view, "SELECT event_count::text FROM order_view WHERE order_id = 'pay-v3'")
                        .equals(List.of("1")));
        assertEquals(
                List.of("OrderPlaced"),
                Queries.strings(view, "SELECT type FROM order_events WHERE order_id = 'pay-v3'"),
                "the event it does not read is not in the timeline");
    }

    /** Each order's row, once every one of them is completed with its 5 events and its payment. */
    private List<List<String>> awaitCompleted(String... orderIds) {
        Await.until(
                "the orders are completed and paid",
                Duration.ofSeconds(60),
                () -> Queries.strings(
                                        view,
                                        "SELECT order_id FROM order_view WHERE status = 'COMPLETED' AND event_count = 5"
                                                + " AND paid IS NOT NULL AND order_id = ANY (string_to_array(?, ','))",
                                        String.join(",", orderIds))
                                .size()
                        == orderIds.length);
        return Arrays.stream(orderIds).map(this::row).toList();
    }

    /** One commit per interval, not per event, and a clean stop leaves no applied event uncommitted. */
    @Test
    void offsetsAreCommittedEachIntervalWhileConsumingAndForEveryAppliedEventOnClose() throws Exception {
        String hourlyGroup = "hourly-" + prefix;
        OrderViewProjection hourly = new OrderViewProjection(
                        view,
                        broker.bootstrapServers(),
                        producer,
                        new ProjectionSettings(
                                prefix,
                                hourlyGroup,
                                3,
                                Duration.ofMillis(50),
                                false,
                                Duration.ofHours(1),
                                ProjectionSettings.DEFAULT.batchWait()),
                        meters,
                        OpenTelemetry.noop())
                .start();
        try {
            for (EventEnvelope event : completedSaga("commits-1")) {
                send(event);
            }
            Map<TopicPartition, Long> ends = TopicReader.endOffsets(broker.bootstrapServers(), EventTopics.all(prefix));
            assertEquals(5, ends.values().stream().mapToLong(Long::longValue).sum());

            Await.until(
                    "the projection committing each hour has applied every event",
                    Duration.ofSeconds(60),
                    () -> Queries.strings(view, "SELECT event_id FROM processed_events WHERE consumer = ?", hourlyGroup)
                                    .size()
                            == 5);
            Await.until(
                    "the projection committing each second has committed every event",
                    Duration.ofSeconds(60),
                    () -> TopicReader.committedOffsets(broker.bootstrapServers(), "view-" + prefix)
                            .equals(ends));
            assertEquals(Map.of(), TopicReader.committedOffsets(broker.bootstrapServers(), hourlyGroup));
        } finally {
            hourly.close();
        }
        assertEquals(
                TopicReader.endOffsets(broker.bootstrapServers(), EventTopics.all(prefix)),
                TopicReader.committedOffsets(broker.bootstrapServers(), hourlyGroup));
    }

    /** The API answers a finished order from the view only when the view knows how each of its steps ended. */
    @Test
    void aCompensatedOrderIsFinishedInTheViewWhenItsLastEventSaysHowEachStepEnded() throws Exception {
        List<Map<String, String>> steps = List.of(
                Map.of("step", "RECORD_ORDER", "state", "COMPENSATED"),
                Map.of("step", "RESERVE_INVENTORY", "state", "FAILED"),
                Map.of("step", "CHARGE_PAYMENT", "state", "SKIPPED"),
                Map.of("step", "CREATE_SHIPMENT", "state", "SKIPPED"),
                Map.of("step", "COMPLETE_ORDER", "state", "SKIPPED"));
        Map<String, Object> compensated =
                Map.of("customerId", "cust-ok", "failedStep", "RESERVE_INVENTORY", "failureType", "OutOfStock");
        Map<String, Object> withSteps = new HashMap<>(compensated);
        withSteps.put("steps", steps);
        for (String orderId : List.of("steps-1", "earlier-1")) {
            send(event(orderId, "orders", "OrderPlaced", 0, Map.of("customerId", "cust-ok")));
            send(event(orderId, "orders", "OrderCompensated", 1, orderId.equals("steps-1") ? withSteps : compensated));
        }
        Await.until(
                "both orders compensated",
                Duration.ofSeconds(60),
                () -> Queries.strings(
                                        view,
                                        "SELECT order_id FROM order_view WHERE status = 'COMPENSATED'"
                                                + " AND order_id IN ('steps-1', 'earlier-1') AND event_count = 2")
                                .size()
                        == 2);

        OrderViewReadModel readModel = new OrderViewReadModel(view);
        OrderView finished = readModel.order("steps-1").view();
        assertTrue(finished.finished());
        assertEquals(
                steps.stream()
                        .map(step -> step.get("step") + " " + step.get("state"))
                        .toList(),
                finished.finalSteps().stream()
                        .map(step -> step.step() + " " + step.state())
                        .toList());
        // an OrderCompensated written before it carried the steps: the API asks the saga itself
        assertFalse(readModel.order("earlier-1").view().finished());
        assertNull(readModel.order("unknown-1").view());
    }

    private List<String> row(String orderId) {
        return Queries.strings(view, """
                SELECT unnest(ARRAY[status, customer_id, total::text, event_count::text, first_event_at::text,
                                    last_event_at::text, paid::text, paid_currency]) FROM order_view
                WHERE order_id = ?""", orderId);
    }

    private static List<EventEnvelope> completedSaga(String orderId) {
        return completedSaga(orderId, 2);
    }

    /** @param paymentVersion the version of its PaymentCharged: 1 has a bare amount, 2 money with its currency */
    private static List<EventEnvelope> completedSaga(String orderId, int paymentVersion) {
        Map<String, Object> charged = new HashMap<>(Map.of(
                "orderId", orderId, "chargeKey", "order-" + orderId + ":CHARGE_PAYMENT", "customerId", "cust-ok"));
        if (paymentVersion == 1) {
            charged.put("amount", new BigDecimal("30.00"));
        } else {
            charged.put("charged", Map.of("amount", new BigDecimal("30.00"), "currency", "EUR"));
        }
        return List.of(
                event(orderId, "orders", "OrderPlaced", 0, Map.of("customerId", "cust-ok")),
                event(orderId, "inventory", "InventoryReserved", 1, Map.of("total", 30.00)),
                event(orderId, "payment", "PaymentCharged", paymentVersion, 2, charged),
                event(orderId, "shipping", "ShipmentCreated", 3, Map.of("trackingNumber", "TRK-1")),
                event(orderId, "orders", "OrderCompleted", 4, Map.of("customerId", "cust-ok", "total", 30.00)));
    }

    /** An event of the version its type is written at now. */
    private static EventEnvelope event(
            String orderId, String aggregateType, String type, int second, Map<String, Object> payload) {
        return event(orderId, aggregateType, type, EventUpcaster.readsUpTo(EventType.named(type)), second, payload);
    }

    private static EventEnvelope event(
            String orderId,
            String aggregateType,
            String type,
            int schemaVersion,
            int second,
            Map<String, Object> payload) {
        return new EventEnvelope(
                UUID.randomUUID(),
                type,
                schemaVersion,
                T0.plusSeconds(second),
                aggregateType,
                orderId,
                orderId,
                "order-" + orderId,
                MAPPER.valueToTree(payload));
    }

    private void send(EventEnvelope event) throws Exception {
        producer.send(new ProducerRecord<>(
                        EventTopics.topic(prefix, event.aggregateType()), event.orderId(), event.toJson()))
                .get();
    }
}
