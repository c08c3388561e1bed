package org.ordersaga.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.UUID;

/**
 * The order API over HTTP, used the way any client uses it, with a bearer token: by the local stack's demo and by
 * the tests.
 */
public final class OrdersClient {

    /**
     * How long a client that must not lose an order keeps repeating. A cancel is answered once the orders workers
     * reach the saga: under CrashAndRestartIT's overload, with the orders worker killed, that took up to 91 s on two
     * cores.
     */
    private static final Duration RETRY_LIMIT = Duration.ofMinutes(3);

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

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
        return place(placeRequest(customerId, sku, quantity, country));
    }

    /**
     * Places an order of one line as the start of the trace {@code traceId} (32 hex digits), whose spans, the
     * order's, the API and the workers add to; returns its id.
     */
    public String placeInTrace(String customerId, String sku, int quantity, String country, String traceId) {
        String parentId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return place(placeRequest(customerId, sku, quantity, country)
                .header("traceparent", "00-" + traceId + "-" + parentId + "-01"));
    }

    private String place(HttpRequest.Builder request) {
        HttpResponse<String> placed = send(request);
        if (placed.statusCode() != 202) {
            throw new IllegalStateException("POST /orders answered " + placed.statusCode() + ": " + placed.body());
        }
        return parse(placed.body()).path("orderId").asText();
    }

    /**
     * Places an order of one line as a client that must not lose it; returns its id. Under an {@code Idempotency-Key}
     * of its own, it repeats, without placing the order twice, after the Retry-After while the API answers 503
     * (Temporal unavailable) and when no answer comes in time. The API keeps the key in its database, so it needs
     * that too.
     */
    public String placeIdempotently(String customerId, String sku, int quantity, String country) {
        String idempotencyKey = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + RETRY_LIMIT.toNanos();
        while (true) {
            HttpResponse<String> placed = send(
                    placeRequest(customerId, sku, quantity, country).header("Idempotency-Key", idempotencyKey),
                    deadline);
            if (placed.statusCode() == 202) {
                return parse(placed.body()).path("orderId").asText();
            }
            if (placed.statusCode() != 503 || System.nanoTime() >= deadline) {
                throw new IllegalStateException("POST /orders answered " + placed.statusCode() + ": " + placed.body());
            }
            pauseForRetry(placed);
        }
    }

    private HttpRequest.Builder placeRequest(String customerId, String sku, int quantity, String country) {
        String body = """
                {"customerId":"%s","items":[{"sku":"%s","quantity":%d}],"shippingAddress":{"name":"Ada Lovelace",\
                "line1":"12 St James's Square","city":"London","postalCode":"SW1Y 4JH","country":"%s"}}""".formatted(customerId, sku, quantity, country);
        return HttpRequest.newBuilder(URI.create(apiUrl + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /**
     * Asks to cancel, repeating after the Retry-After while the API answers 503 and when no answer comes in time (a
     * repeat is safe); true once the saga accepted it, now (202) or on a try whose answer was lost (409, already
     * being compensated); false when it came too late (409).
     */
    public boolean cancel(String orderId, String reason) {
        long deadline = System.nanoTime() + RETRY_LIMIT.toNanos();
        while (true) {
            HttpResponse<String> answer = send(
                    HttpRequest.newBuilder(URI.create(apiUrl + "/orders/" + orderId + "/cancel"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json.createObjectNode()
                                    .put("reason", reason)
                                    .toString())),
                    deadline);
            switch (answer.statusCode()) {
                case 202:
                    return true;
                case 409:
                    return answer.body().contains("already being compensated");
                case 503:
                    if (System.nanoTime() < deadline) {
                        pauseForRetry(answer);
                        continue;
                    }
                    throw new IllegalStateException(
                            "cancel still unavailable after " + RETRY_LIMIT + ": " + answer.body());
                default:
                    throw new IllegalStateException("cancel answered " + answer.statusCode() + ": " + answer.body());
            }
        }
    }

    private static void pauseForRetry(HttpResponse<String> unavailable) {
        LocalStack.pause(Duration.ofSeconds(
                Long.parseLong(unavailable.headers().firstValue("Retry-After").orElse("1"))));
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
        return send(request, System.nanoTime());
    }

    /**
     * Sends {@code request}; one that is safe to repeat is sent again when no answer comes within the request timeout,
     * until {@code repeatUntil} ({@link System#nanoTime()}).
     */
    private HttpResponse<String> send(HttpRequest.Builder request, long repeatUntil) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
        while (true) {
            try {
                return http.send(built, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException slow) {
                if (System.nanoTime() >= repeatUntil) {
                    throw new IllegalStateException(
                            "the API at " + apiUrl + " did not answer within " + REQUEST_TIMEOUT, slow);
                }
            } catch (IOException e) {
                throw new IllegalStateException("the API at " + apiUrl + " did not answer: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
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
