package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A client of a running API process, the way any HTTP client uses it. */
final class HttpOrders {

    private final String api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    HttpOrders(int port) {
        this.api = "http://127.0.0.1:" + port;
    }

    /** Places an order of one line; returns its id. */
    String place(String customerId, String sku, int quantity, String country) {
        String body = """
                {"customerId":"%s","items":[{"sku":"%s","quantity":%d}],"shippingAddress":{"name":"Grace Hopper",\
                "line1":"1 Navy Way","city":"Arlington","postalCode":"22202","country":"%s"}}"""
                .formatted(customerId, sku, quantity, country);
        HttpResponse<String> placed = send(HttpRequest.newBuilder(URI.create(api + "/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(202, placed.statusCode(), placed.body());
        return parse(placed.body()).path("orderId").asText();
    }

    /**
     * Asks to cancel, repeating while the API answers 503 (as a client should, after its Retry-After); true once
     * the saga accepted it, now (202) or on an earlier try whose answer was lost (409, already being compensated);
     * false when it was too late (409).
     */
    boolean cancel(String orderId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(api + "/orders/" + orderId
                    + "/cancel")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"changed my mind\"}")));
            switch (answer.statusCode()) {
                case 202:
                    return true;
                case 409:
                    return answer.body().contains("already being compensated");
                case 503:
                    if (System.nanoTime() < deadline) {
                        pause(Duration.ofSeconds(Long.parseLong(answer.headers().firstValue("Retry-After")
                                .orElse("1"))));
                        continue;
                    }
                    throw new AssertionError("cancel still unavailable after 2 minutes: " + answer.body());
                default:
                    throw new AssertionError("cancel answered " + answer.statusCode() + ": " + answer.body());
            }
        }
    }

    JsonNode get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api + path)));
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return parse(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the API did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
