package org.ordersaga.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code --demo}: one order of each saga outcome, placed over HTTP like a client would, and their final states. */
final class Demo {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    private final String apiUrl;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    Demo(String apiUrl, PrintStream out) {
        this.apiUrl = apiUrl;
        this.out = out;
    }

    void run(Optional<String> temporalUi) {
        out.println();
        out.println("--demo: placing one order of each outcome ...");
        Map<String, String> orders = new LinkedHashMap<>();
        orders.put("completed", place("cust-ok", "sku-100", 2, "GB"));
        orders.put("out of stock", place("cust-ok", "sku-out", 1, "GB"));
        orders.put("payment declined", place("cust-poor", "sku-200", 1, "GB"));
        orders.put("address unserviceable", place("cust-ok", "sku-100", 1, "XX"));
        String cancelled = place("cust-ok", "sku-100", 1, "GB");
        orders.put("cancelled", cancelled);
        HttpResponse<String> cancel = send(HttpRequest.newBuilder(URI.create(apiUrl + "/orders/" + cancelled
                + "/cancel")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"changed my mind\"}")));
        if (cancel.statusCode() != 202) {
            out.println("  (the cancel came too late: " + cancel.statusCode() + " " + cancel.body() + ")");
        }

        out.printf("  %-22s %-38s %-12s %-22s %s%n", "outcome", "order id", "status", "failure", "events");
        orders.forEach((outcome, orderId) -> {
            JsonNode order = awaitFinal(orderId);
            out.printf("  %-22s %-38s %-12s %-22s %s%n", outcome, orderId, order.path("status").asText(),
                    order.path("failure").path("type").asText("-"), eventTypes(order));
        });
        out.println("  sku-100 stock:    " + get("/inventory/sku-100"));
        out.println("  cust-ok account:  " + get("/customers/cust-ok"));
        out.println("  follow one:       curl " + apiUrl + "/orders/" + orders.get("completed"));
        temporalUi.ifPresent(ui -> out.println("  compensated sagas in the Web UI: " + ui
                + "/namespaces/default/workflows?query="
                + URLEncoder.encode("OrderStatus=\"COMPENSATED\"", StandardCharsets.UTF_8)));
        out.println();
    }

    private String place(String customerId, String sku, int quantity, String country) {
        String body = """
                {"customerId":"%s","items":[{"sku":"%s","quantity":%d}],"shippingAddress":{"name":"Ada Lovelace",\
                "line1":"12 St James's Square","city":"London","postalCode":"SW1Y 4JH","country":"%s"}}"""
                .formatted(customerId, sku, quantity, country);
        HttpResponse<String> placed = send(HttpRequest.newBuilder(URI.create(apiUrl + "/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (placed.statusCode() != 202) {
            throw new IllegalStateException("POST /orders answered " + placed.statusCode() + ": " + placed.body());
        }
        return parse(placed.body()).path("orderId").asText();
    }

    /** The order once its saga finished and the order view has its last event. */
    private JsonNode awaitFinal(String orderId) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode order = get("/orders/" + orderId);
        while (System.nanoTime() < deadline && !isFinal(order)) {
            LocalStack.pause(Duration.ofMillis(300));
            order = get("/orders/" + orderId);
        }
        return order;
    }

    private static boolean isFinal(JsonNode order) {
        String status = order.path("status").asText();
        String lastEvent = eventTypes(order).replaceAll(".* ", "");
        return (status.equals("COMPLETED") && lastEvent.equals("OrderCompleted"))
                || (status.equals("COMPENSATED") && eventTypes(order).contains("OrderCompensated"));
    }

    private static String eventTypes(JsonNode order) {
        StringBuilder types = new StringBuilder();
        order.path("events").forEach(event -> types.append(types.isEmpty() ? "" : " ")
                .append(event.path("type").asText()));
        return types.toString();
    }

    private JsonNode get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(apiUrl + path)).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return parse(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the API did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
