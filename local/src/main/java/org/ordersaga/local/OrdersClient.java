package org.ordersaga.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The order API over HTTP, used the way any client uses it, with a bearer token: by the local stack's demo and by
 * the tests.
 */
public final class OrdersClient {

    private static final Duration CANCEL_RETRY_LIMIT = Duration.ofMinutes(2);

    private final String apiUrl;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** A client sending no token, for what anyone may read: {@code /health}, a worker's metrics. */
    public OrdersClient(String apiUrl) {
        this(apiUrl, null);
    }

    /** A client calling as the holder of {@code token}. */
    public OrdersClient(String apiUrl, String token) {
        this.apiUrl = apiUrl;
        this.token = token;
    }

    /** Places an order of one line; returns its id. */
    public String place(String customerId, String sku, int quantity, String country) {
        String body = """
                {"customerId":"%s","items":[{"sku":"%s","quantity":%d}],"shippingAddress":{"name":"Ada Lovelace",\
                "line1":"12 St James's Square","city":"London","postalCode":"SW1Y 4JH","country":"%s"}}""".formatted(customerId, sku, quantity, country);
        HttpResponse<String> placed = send(HttpRequest.newBuilder(URI.create(apiUrl + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (placed.statusCode() != 202) {
            throw new IllegalStateException("POST /orders answered " + placed.statusCode() + ": " + placed.body());
        }
        return parse(placed.body()).path("orderId").asText();
    }

    /**
     * Asks to cancel, repeating after the Retry-After while the API answers 503 (a repeat is safe); true once the
     * saga accepted it, now (202) or on a try whose answer was lost (409, already being compensated); false when it
     * came too late (409).
     */
    public boolean cancel(String orderId, String reason) {
        long deadline = System.nanoTime() + CANCEL_RETRY_LIMIT.toNanos();
        while (true) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(
                            URI.create(apiUrl + "/orders/" + orderId + "/cancel"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            json.createObjectNode().put("reason", reason).toString())));
            switch (answer.statusCode()) {
                case 202:
                    return true;
                case 409:
                    return answer.body().contains("already being compensated");
                case 503:
                    if (System.nanoTime() < deadline) {
                        LocalStack.pause(Duration.ofSeconds(Long.parseLong(
                                answer.headers().firstValue("Retry-After").orElse("1"))));
                        continue;
                    }
                    throw new IllegalStateException(
                            "cancel still unavailable after " + CANCEL_RETRY_LIMIT + ": " + answer.body());
                default:
                    throw new IllegalStateException("cancel answered " + answer.statusCode() + ": " + answer.body());
            }
        }
    }

    /** GET {@code path}, which must answer 200, as text. */
    public String text(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(apiUrl + path)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** GET {@code path}, which must answer 200. */
    public JsonNode get(String path) {
        return parse(text(path));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the API at " + apiUrl + " did not answer: " + e, e);
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
