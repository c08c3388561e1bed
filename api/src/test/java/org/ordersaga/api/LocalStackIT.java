package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.Await;
import org.ordersaga.kafka.TopicReader;
import org.ordersaga.local.Ports;
import org.ordersaga.outbox.EventEnvelope;
import org.ordersaga.outbox.EventsDoc;

/**
 * The local stack as a user runs it: the packaged launcher ({@code ./run-local.sh} runs the same command after
 * building) starts PostgreSQL, Kafka, Temporal, four worker processes and the API. Orders of every outcome go in
 * over HTTP; their final states, stock and balances are read back through the API and their events from Kafka,
 * checked against docs/events.md; a SIGTERM (what Ctrl-C sends) leaves no process behind.
 */
class LocalStackIT {

    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(4);
    private static final Duration LIMIT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final int apiPort = Ports.free();
    private final int kafkaPort = Ports.free();
    private final int postgresPort = Ports.free();
    private String api;

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void everyOutcomeThroughTheLocalStackThenCtrlCStopsEveryProcess() throws Exception {
        Path output = Path.of("target", "local-stack-it.out").toAbsolutePath();
        Process stack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("local-stack.classpath"), "org.ordersaga.local.LocalStack", "--demo",
                "--dir=" + Path.of("target", "local-stack-it").toAbsolutePath(),
                "--api-port=" + apiPort, "--temporal-port=" + Ports.free(), "--temporal-ui-port=" + Ports.free(),
                "--kafka-port=" + kafkaPort, "--postgres-port=" + postgresPort,
                "--worker-jar=" + System.getProperty("worker.jar"), "--api-jar=" + System.getProperty("api.jar"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        api = "http://127.0.0.1:" + apiPort;
        try {
            String started = awaitOutput(stack, output, "Ctrl-C stops everything.");
            assertDemoShowsEachOutcome(started);
            placeOrdersOfEveryOutcomeAndCheckThem();
        } finally {
            stack.destroy();
            if (!stack.waitFor(2, TimeUnit.MINUTES)) {
                stack.destroyForcibly();
            }
        }
        String log = Files.readString(output);
        List<Long> pids = new ArrayList<>();
        Matcher pid = Pattern.compile("pid=(\\d+)").matcher(log);
        while (pid.find()) {
            pids.add(Long.parseLong(pid.group(1)));
        }
        assertEquals(6, pids.size(), "Kafka, four workers and the API reported:\n" + log);
        for (long child : pids) {
            assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "pid " + child + " left");
        }
        assertFalse(Ports.accepts(postgresPort), "PostgreSQL stopped");
        assertFalse(Ports.accepts(apiPort), "API stopped");
    }

    private static void assertDemoShowsEachOutcome(String output) {
        for (String line : List.of("completed +\\S+ +COMPLETED +- +OrderPlaced InventoryReserved PaymentCharged"
                + " ShipmentCreated OrderCompleted",
                "out of stock +\\S+ +COMPENSATED +OutOfStock ",
                "payment declined +\\S+ +COMPENSATED +PaymentDeclined ",
                "address unserviceable +\\S+ +COMPENSATED +AddressUnserviceable ")) {
            assertTrue(Pattern.compile(line).matcher(output).find(), line + " in\n" + output);
        }
        assertTrue(Pattern.compile("cancelled +\\S+ +COMPENSATED +OrderCancelled ").matcher(output).find()
                || output.contains("the cancel came too late"), "the cancelled order in\n" + output);
    }

    private void placeOrdersOfEveryOutcomeAndCheckThem() throws Exception {
        JsonNode stockBefore = get("/inventory/sku-100");
        BigDecimal balanceBefore = get("/customers/cust-ok").path("balance").decimalValue();
        Map<String, String> outcomes = new LinkedHashMap<>();
        outcomes.put(place("cust-ok", "sku-100", 3, "GB"), "completed");
        outcomes.put(place("cust-ok", "sku-out", 1, "GB"), "out of stock / unknown sku");
        outcomes.put(place("cust-poor", "sku-200", 1, "GB"), "payment declined");
        outcomes.put(place("cust-ok", "sku-100", 1, "XX"), "address unserviceable");

        for (String orderId : outcomes.keySet()) {
            Await.until(orderId + " final", LIMIT, () -> !get("/orders/" + orderId).path("status").asText()
                    .equals("PROCESSING"));
        }
        Map<String, Map<String, List<String>>> expected = EventsDoc.sequences();
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

        int expectedEvents = outcomes.values().stream().mapToInt(outcome -> expected.get(outcome).values().stream()
                .mapToInt(List::size).sum()).sum();
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil("127.0.0.1:" + kafkaPort,
                List.of("order.events", "inventory.events", "payment.events", "shipping.events"),
                read -> ours(read, outcomes.keySet()).size() >= expectedEvents, LIMIT);
        Map<String, Map<String, List<String>>> published = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            EventEnvelope event = EventEnvelope.parse(record.value());
            if (outcomes.containsKey(record.key()) && seen.add(event.eventId().toString())) {
                published.computeIfAbsent(record.key(), k -> new TreeMap<>())
                        .computeIfAbsent(record.topic(), k -> new ArrayList<>()).add(event.type());
            }
        }
        outcomes.forEach((orderId, outcome) -> {
            Map<String, List<String>> sequence = new TreeMap<>(expected.get(outcome));
            sequence.values().removeIf(List::isEmpty);
            assertEquals(sequence, published.get(orderId), outcome + " as docs/events.md says");
        });
    }

    private static Set<String> ours(List<ConsumerRecord<String, byte[]>> records, Set<String> orderIds) {
        Set<String> eventIds = new HashSet<>();
        records.stream().filter(record -> orderIds.contains(record.key()))
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

    private static String awaitOutput(Process stack, Path output, String line) throws Exception {
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
