package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.Await;
import org.ordersaga.RealTemporal;
import org.ordersaga.kafka.TopicReader;
import org.ordersaga.local.Ports;
import org.ordersaga.outbox.EventEnvelope;
import org.ordersaga.outbox.EventsDoc;

/**
 * The local stack as a user runs it: the packaged launcher ({@code ./run-local.sh} runs the same command after
 * building) starts PostgreSQL, Kafka, Temporal (the real dev server when the CLI is there), four worker processes
 * and the API. Orders of every outcome go in over HTTP; their final states, stock and balances are read back through
 * the API and their events from Kafka, checked against docs/events.md; a SIGTERM (what Ctrl-C sends) leaves no
 * process behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LocalStackIT {

    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(4);
    private static final Duration LIMIT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final int apiPort = Ports.free();
    private final int temporalPort = Ports.free();
    private final int kafkaPort = Ports.free();
    private final int postgresPort = Ports.free();
    private final String api = "http://127.0.0.1:" + apiPort;
    private final Path output = Path.of("target", "local-stack-it.out").toAbsolutePath();
    private final Map<String, String> outcomes = new LinkedHashMap<>();
    private Process stack;
    private String started;

    @BeforeAll
    void startTheStack() throws Exception {
        ProcessBuilder launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("local-stack.classpath"), "org.ordersaga.local.LocalStack",
                "--demo", "--dir=" + Path.of("target", "local-stack-it").toAbsolutePath(),
                "--api-port=" + apiPort, "--temporal-port=" + temporalPort, "--temporal-ui-port=" + Ports.free(),
                "--kafka-port=" + kafkaPort, "--postgres-port=" + postgresPort,
                "--worker-jar=" + System.getProperty("worker.jar"), "--api-jar=" + System.getProperty("api.jar"))
                .redirectErrorStream(true).redirectOutput(output.toFile());
        stack = launcher.start();
        started = awaitOutput("Ctrl-C stops everything.");
    }

    @AfterAll
    void stopTheStack() throws InterruptedException {
        if (stack != null && stack.isAlive()) {
            stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void theDemoShowsEachOutcome() {
        for (String line : List.of("completed +\\S+ +COMPLETED +- +OrderPlaced InventoryReserved PaymentCharged"
                + " ShipmentCreated OrderCompleted",
                "out of stock +\\S+ +COMPENSATED +OutOfStock ",
                "payment declined +\\S+ +COMPENSATED +PaymentDeclined ",
                "address unserviceable +\\S+ +COMPENSATED +AddressUnserviceable ")) {
            assertTrue(Pattern.compile(line).matcher(started).find(), line + " in\n" + started);
        }
        assertTrue(Pattern.compile("cancelled +\\S+ +COMPENSATED +OrderCancelled ").matcher(started).find()
                || started.contains("the cancel came too late"), "the cancelled order in\n" + started);
    }

    @Test
    @Order(2)
    void ordersOfEveryOutcomeEndAsDocumentedWithStockBalancesAndEventsToMatch() throws Exception {
        JsonNode stockBefore = get("/inventory/sku-100");
        BigDecimal balanceBefore = get("/customers/cust-ok").path("balance").decimalValue();
        outcomes.put(place("cust-ok", "sku-100", 3, "GB"), "completed");
        outcomes.put(place("cust-ok", "sku-out", 1, "GB"), "out of stock / unknown sku");
        outcomes.put(place("cust-poor", "sku-200", 1, "GB"), "payment declined");
        outcomes.put(place("cust-ok", "sku-100", 1, "XX"), "address unserviceable");

        for (String orderId : outcomes.keySet()) {
            Await.until(orderId + " final", LIMIT, () -> !get("/orders/" + orderId).path("status").asText()
                    .equals("PROCESSING"));
        }
        outcomes.forEach((orderId, outcome) -> assertEquals(
                outcome.equals("completed") ? "COMPLETED" : "COMPENSATED",
                get("/orders/" + orderId).path("status").asText(), outcome));
        JsonNode stockAfter = get("/inventory/sku-100");
        assertEquals(stockBefore.path("available").asInt() - 3, stockAfter.path("available").asInt(),
                "only the completed order keeps its stock");
        assertEquals(stockBefore.path("reserved").asInt() + 3, stockAfter.path("reserved").asInt());
        assertEquals(0, balanceBefore.subtract(new BigDecimal("30.00"))
                .compareTo(get("/customers/cust-ok").path("balance").decimalValue()), "charged only the completed");
        assertEquals(0, new BigDecimal("1.00").compareTo(get("/customers/cust-poor").path("balance").decimalValue()));

        Map<String, Map<String, List<String>>> expected = EventsDoc.sequences();
        Map<String, Map<String, List<String>>> published = publishedEvents(expected);
        outcomes.forEach((orderId, outcome) -> {
            Map<String, List<String>> sequence = new TreeMap<>(expected.get(outcome));
            sequence.values().removeIf(List::isEmpty);
            assertEquals(sequence, published.get(orderId), outcome + " as docs/events.md says");
        });
    }

    /** Visibility, which only a real Temporal server has: the query an operator types in the Web UI. */
    @Test
    @Order(3)
    @Tag("real-temporal")
    void theRealServerFindsTheCompensatedOrdersOfACustomerBySearchAttributes() {
        RealTemporal.require(started.contains("temporal CLI dev server"));
        Set<String> expected = new TreeSet<>();
        Matcher demoDeclined = Pattern.compile("payment declined +(\\S+) +COMPENSATED").matcher(started);
        assertTrue(demoDeclined.find());
        expected.add("order-" + demoDeclined.group(1));
        outcomes.forEach((orderId, outcome) -> {
            if (outcome.equals("payment declined")) {
                expected.add("order-" + orderId);
            }
        });
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + temporalPort).build());
        try {
            Set<String> found = new TreeSet<>();
            Await.until("visibility catches up", LIMIT, () -> {
                found.clear();
                stubs.blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                        .setNamespace("default")
                        .setQuery("OrderStatus=\"COMPENSATED\" AND CustomerId=\"cust-poor\"").build())
                        .getExecutionsList().forEach(execution -> found.add(execution.getExecution().getWorkflowId()));
                return found.equals(expected);
            });
            assertEquals(expected, found);
        } finally {
            stubs.shutdown();
        }
    }

    @Test
    @Order(4)
    void ctrlCStopsEveryProcessItStarted() throws Exception {
        stack.destroy();
        assertTrue(stack.waitFor(2, TimeUnit.MINUTES), "the launcher stops within its processes' grace");
        String log = Files.readString(output);
        List<Long> pids = new ArrayList<>();
        Matcher pid = Pattern.compile("pid=(\\d+)").matcher(log);
        while (pid.find()) {
            pids.add(Long.parseLong(pid.group(1)));
        }
        assertTrue(pids.size() >= 6, "Kafka, four workers, the API (and the dev server) reported:\n" + log);
        for (long child : pids) {
            assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "pid " + child + " left");
        }
        assertFalse(Ports.accepts(postgresPort), "PostgreSQL stopped");
        assertFalse(Ports.accepts(temporalPort), "Temporal stopped");
    }

    private Map<String, Map<String, List<String>>> publishedEvents(Map<String, Map<String, List<String>>> expected) {
        int expectedEvents = outcomes.values().stream().mapToInt(outcome -> expected.get(outcome).values().stream()
                .mapToInt(List::size).sum()).sum();
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil("127.0.0.1:" + kafkaPort,
                List.of("order.events", "inventory.events", "payment.events", "shipping.events"),
                read -> ours(read).size() >= expectedEvents, LIMIT);
        Map<String, Map<String, List<String>>> published = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            EventEnvelope event = EventEnvelope.parse(record.value());
            if (outcomes.containsKey(record.key()) && seen.add(event.eventId().toString())) {
                published.computeIfAbsent(record.key(), k -> new TreeMap<>())
                        .computeIfAbsent(record.topic(), k -> new ArrayList<>()).add(event.type());
            }
        }
        return published;
    }

    private Set<String> ours(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> eventIds = new HashSet<>();
        records.stream().filter(record -> outcomes.containsKey(record.key()))
                .forEach(record -> eventIds.add(EventEnvelope.parse(record.value()).eventId().toString()));
        return eventIds;
    }

    private String place(String customerId, String sku, int quantity, String country) throws Exception {
        String body = """
                {"customerId":"%s","items":[{"sku":"%s","quantity":%d}],"shippingAddress":{"name":"Grace Hopper",\
                "line1":"1 Navy Way","city":"Arlington","postalCode":"22202","country":"%s"}}"""
                .formatted(customerId, sku, quantity, country);
        HttpResponse<String> placed = http.send(HttpRequest.newBuilder(URI.create(api + "/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, placed.statusCode(), placed.body());
        return json.readTree(placed.body()).path("orderId").asText();
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String awaitOutput(String line) throws Exception {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            String printed = Files.readString(output);
            if (printed.contains(line)) {
                return printed;
            }
            if (!stack.isAlive()) {
                throw new AssertionError("the local stack exited with " + stack.exitValue() + ":\n" + printed);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the local stack did not print '" + line + "' within " + STARTUP_LIMIT + ":\n"
                + Files.readString(output));
    }
}
