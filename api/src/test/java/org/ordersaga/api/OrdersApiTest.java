package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ordersaga.Await;
import org.ordersaga.activity.DatabaseFailures;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.local.Ports;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.OrderWorkflows;
import org.ordersaga.saga.SagaStatus;

/** The REST API against Temporal over gRPC, the real services as workers and real PostgreSQL. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrdersApiTest implements TestPropertyProvider {

    private SagaServer saga;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    EmbeddedServer server;

    @Inject
    WorkflowClient temporal;

    @Override
    public Map<String, String> getProperties() {
        saga = new SagaServer();
        return saga.apiProperties(saga.target);
    }

    @AfterAll
    void stop() {
        saga.close();
    }

    private BlockingHttpClient client() {
        return http.toBlocking();
    }

    /** The request as the operator, who may do everything these tests do; access itself is AccessControlTest's. */
    private <T> MutableHttpRequest<T> asOperator(MutableHttpRequest<T> request) {
        return request.bearerAuth(saga.operatorToken);
    }

    private static String order(String customerId, String sku, int quantity, String country) {
        return """
                {"customerId": "%s", "items": [{"sku": "%s", "quantity": %d}],
                 "shippingAddress": {"name": "Ada", "line1": "1 Main St", "city": "London", "postalCode": "N1",
                                     "country": "%s"}}""".formatted(customerId, sku, quantity, country);
    }

    private HttpResponse<Map> post(String body, String idempotencyKey) {
        var request = asOperator(HttpRequest.POST("/orders", body)).contentType(MediaType.APPLICATION_JSON);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return client().exchange(request, Map.class);
    }

    private Map<?, ?> awaitStatus(String orderId, String status) {
        Map<?, ?>[] latest = new Map<?, ?>[1];
        Await.until(orderId + " " + status, Duration.ofSeconds(30), () -> {
            latest[0] = client().retrieve(asOperator(HttpRequest.GET("/orders/" + orderId)), Map.class);
            return status.equals(latest[0].get("status"));
        });
        return latest[0];
    }

    private HttpClientResponseException refused(HttpRequest<?> request) {
        return assertThrows(HttpClientResponseException.class, () -> client().exchange(request, String.class));
    }

    private static void assertProblem(HttpClientResponseException e, HttpStatus status, String... mentions) {
        assertEquals(status, e.getStatus());
        assertEquals(
                "application/problem+json",
                e.getResponse().getContentType().orElseThrow().toString());
        String body = e.getResponse().getBody(String.class).orElse("");
        for (String mention : mentions) {
            assertTrue(body.contains(mention), body + " should mention " + mention);
        }
        assertTrue(!body.contains("\tat "), "no stack trace: " + body);
    }

    @Test
    void placesAnOrderAndShowsItsSagaUntilCompleted() {
        HttpResponse<Map> accepted = post(order("cust-ok", "sku-100", 2, "GB"), null);

        assertEquals(HttpStatus.ACCEPTED, accepted.getStatus());
        String orderId = (String) accepted.body().get("orderId");
        assertEquals("/orders/" + orderId, accepted.header("Location"));
        assertEquals("PROCESSING", accepted.body().get("status"));
        Map<?, ?> done = awaitStatus(orderId, "COMPLETED");
        assertEquals("cust-ok", done.get("customerId"));
        assertEquals(20.0, ((Number) done.get("total")).doubleValue());
        assertEquals(5, ((List<?>) done.get("steps")).size());
    }

    @Test
    void showsACompensatedOrderWithItsFailure() {
        String orderId = (String)
                post(order("cust-poor", "sku-100", 1, "GB"), null).body().get("orderId");
        Map<?, ?> done = awaitStatus(orderId, "COMPENSATED");
        assertEquals("PaymentDeclined", ((Map<?, ?>) done.get("failure")).get("type"));
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameOrderAndADifferentBodyIsAConflict() {
        String body = order("cust-ok", "sku-100", 1, "GB");
        String first = (String) post(body, "key-1").body().get("orderId");
        String again = (String) post(body, "key-1").body().get("orderId");
        String other = (String) post(body, "key-2").body().get("orderId");

        assertEquals(first, again);
        assertTrue(!first.equals(other));
        assertProblem(
                assertThrows(
                        HttpClientResponseException.class, () -> post(order("cust-ok", "sku-100", 3, "GB"), "key-1")),
                HttpStatus.CONFLICT,
                "key-1");
        awaitStatus(first, "COMPLETED");
    }

    @Test
    void badInputIsRefusedNamingEachField() {
        String tooManyLines = IntStream.range(0, 101)
                .mapToObj(i -> "{\"sku\": \"s" + i + "\", \"quantity\": 1}")
                .collect(Collectors.joining(","));
        assertProblem(refused(json("{not json")), HttpStatus.BAD_REQUEST);
        assertProblem(
                refused(json("{\"items\": []}")), HttpStatus.BAD_REQUEST, "customerId", "items", "shippingAddress");
        assertProblem(refused(json(order("cust-ok", "sku-100", 0, "GB"))), HttpStatus.BAD_REQUEST, "items[0].quantity");
        assertProblem(
                refused(json(order("cust-ok", "sku-100", 1001, "GB"))), HttpStatus.BAD_REQUEST, "items[0].quantity");
        assertProblem(refused(json(order(" ", "sku-100", 1, "GB"))), HttpStatus.BAD_REQUEST, "customerId");
        assertProblem(
                refused(json(order("cust-ok", "sku-100", 1, "GB")
                        .replace("[{\"sku\": \"sku-100\", \"quantity\": 1}]", "[" + tooManyLines + "]"))),
                HttpStatus.BAD_REQUEST,
                "at most 100 lines");
        assertProblem(
                refused(json(order("cust-ok", "sku-100", 1, "GB")
                        .replace(
                                "[{\"sku\": \"sku-100\", \"quantity\": 1}]",
                                "[{\"sku\": \"sku-100\", \"quantity\": 1}, {\"sku\": \"sku-100\", \"quantity\": 2}]"))),
                HttpStatus.BAD_REQUEST,
                "duplicate sku");
        assertEquals(
                HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                refused(json("{\"customerId\": \"" + "x".repeat(70_000) + "\"}"))
                        .getStatus());
    }

    /** What PostgreSQL cannot store or the saga cannot use never reaches Temporal: a 400, never a 5xx. */
    @Test
    void inputASagaCouldNotFinishIsRefusedAtTheDoor() {
        String valid = order("cust-ok", "sku-100", 1, "GB");
        assertProblem(
                refused(json(valid.replace("cust-ok", "cust\\u0000ok"))),
                HttpStatus.BAD_REQUEST,
                "customerId: must not contain control characters");
        assertProblem(
                refused(json(valid.replace("\"Ada\"", "\"Ada\\u0000\""))),
                HttpStatus.BAD_REQUEST,
                "shippingAddress.name: must not contain control characters");
        assertProblem(
                refused(json(valid.replace("\"Ada\"", "\"" + "A".repeat(101) + "\""))),
                HttpStatus.BAD_REQUEST,
                "shippingAddress.name: at most 100 characters");
        assertProblem(
                refused(json(valid.replace("[{", "[null, {"))), HttpStatus.BAD_REQUEST, "items[0]: must not be null");
        assertProblem(
                refused(json(valid.replace("\"quantity\": 1", "\"quantity\": 1.5"))),
                HttpStatus.BAD_REQUEST,
                "items[0].quantity: must be a whole number");
        assertProblem(
                refused(json(valid.replace("\"quantity\": 1", "\"quantity\": 1e12"))),
                HttpStatus.BAD_REQUEST,
                "items[0].quantity");
        assertProblem(
                refused(json(order("cust-ok", "sku-100", 1, "gb"))), HttpStatus.BAD_REQUEST, "shippingAddress.country");
        assertProblem(
                refused(json(valid).header("Idempotency-Key", "k".repeat(256))),
                HttpStatus.BAD_REQUEST,
                "Idempotency-Key");
        assertProblem(
                refused(json(valid).header("Idempotency-Key", "caf\u00e9")), HttpStatus.BAD_REQUEST, "Idempotency-Key");

        String orderId = (String) post(valid, null).body().get("orderId");
        assertProblem(
                refused(asOperator(
                                HttpRequest.POST("/orders/" + orderId + "/cancel", "{\"reason\": \"stop\\u0000now\"}"))
                        .contentType(MediaType.APPLICATION_JSON)),
                HttpStatus.BAD_REQUEST,
                "reason");
        assertProblem(
                refused(asOperator(
                        HttpRequest.POST("/orders/" + orderId + "/cancel", Map.of("reason", "x".repeat(501))))),
                HttpStatus.BAD_REQUEST,
                "reason: at most 500 characters");
        awaitStatus(orderId, "COMPLETED");
    }

    @Test
    void cancelIsAcceptedWhileTheSagaCanStillStopAndRefusedAfter() {
        String slow = orderWithChargeInFlight();

        assertEquals(
                HttpStatus.ACCEPTED,
                client().exchange(asOperator(
                                HttpRequest.POST("/orders/" + slow + "/cancel", Map.of("reason", "changed my mind"))))
                        .getStatus());
        saga.releaseSlowCharges();
        Map<?, ?> cancelled = awaitStatus(slow, "COMPENSATED");
        assertEquals("OrderCancelled", ((Map<?, ?>) cancelled.get("failure")).get("type"));

        String done =
                (String) post(order("cust-ok", "sku-100", 1, "GB"), null).body().get("orderId");
        awaitStatus(done, "COMPLETED");
        assertProblem(
                refused(asOperator(HttpRequest.POST("/orders/" + done + "/cancel", "{}"))),
                HttpStatus.CONFLICT,
                "already COMPLETED");
        assertProblem(refused(asOperator(HttpRequest.POST("/orders/nope/cancel", "{}"))), HttpStatus.NOT_FOUND);
        assertProblem(refused(asOperator(HttpRequest.GET("/orders/nope"))), HttpStatus.NOT_FOUND, "no order nope");
    }

    @Test
    void anUnreachableTemporalIsA503WithRetryAfterAndStartsNothing() {
        Map<String, Object> properties = new HashMap<>(saga.apiProperties("127.0.0.1:" + Ports.free()));
        properties.put("micronaut.server.port", -1);
        try (EmbeddedServer down = ApplicationContext.run(EmbeddedServer.class, properties);
                HttpClient downClient = HttpClient.create(down.getURL())) {
            HttpClientResponseException e = assertThrows(
                    HttpClientResponseException.class,
                    () -> downClient.toBlocking().exchange(json(order("cust-ok", "sku-100", 1, "GB")), String.class));
            assertProblem(e, HttpStatus.SERVICE_UNAVAILABLE, "nothing was started");
            assertEquals("5", e.getResponse().header("Retry-After"));
            HttpClientResponseException unhealthy = assertThrows(
                    HttpClientResponseException.class,
                    () -> downClient.toBlocking().exchange(asOperator(HttpRequest.GET("/health")), String.class));
            assertEquals(HttpStatus.SERVICE_UNAVAILABLE, unhealthy.getStatus());
            assertTrue(unhealthy.getResponse().getBody(String.class).orElse("").contains("temporal"));
        }
    }

    /**
     * A finished order is the order view's to answer, as the saga's result has it: with Temporal unreachable, as
     * after its retention has removed the workflow, it still is; a running order needs Temporal.
     */
    @Test
    void aFinishedOrderIsAnsweredByTheOrderViewAsTheSagaEndedWithoutTemporal() {
        String completed =
                (String) post(order("cust-ok", "sku-100", 2, "GB"), null).body().get("orderId");
        String declined = (String)
                post(order("cust-poor", "sku-100", 1, "GB"), null).body().get("orderId");
        String running = orderWithChargeInFlight();
        Map<?, ?> completedView = awaitEvents(completed, 5);
        Map<?, ?> declinedView = awaitEvents(declined, 5);

        for (Map<?, ?> view : List.of(completedView, declinedView)) {
            SagaStatus result = temporal.newUntypedWorkflowStub(OrderWorkflows.workflowId((String) view.get("orderId")))
                    .getResult(SagaStatus.class);
            assertEquals(result.status().name(), view.get("status"));
            assertEquals(result.customerId(), view.get("customerId"));
            assertEquals(
                    result.steps().stream()
                            .map(step -> step.step() + " " + step.state())
                            .toList(),
                    ((List<?>) view.get("steps"))
                            .stream()
                                    .map(step -> ((Map<?, ?>) step).get("step") + " " + ((Map<?, ?>) step).get("state"))
                                    .toList());
            assertEquals(result.total().doubleValue(), ((Number) view.get("total")).doubleValue());
            assertEquals(
                    result.failure() == null ? null : result.failure().type(),
                    view.get("failure") == null ? null : ((Map<?, ?>) view.get("failure")).get("type"));
        }

        Map<String, Object> properties = new HashMap<>(saga.apiProperties("127.0.0.1:" + Ports.free()));
        properties.put("micronaut.server.port", -1);
        try (EmbeddedServer noTemporal = ApplicationContext.run(EmbeddedServer.class, properties);
                HttpClient noTemporalClient = HttpClient.create(noTemporal.getURL())) {
            BlockingHttpClient withoutTemporal = noTemporalClient.toBlocking();
            assertEquals(
                    completedView,
                    withoutTemporal.retrieve(asOperator(HttpRequest.GET("/orders/" + completed)), Map.class));
            assertEquals(
                    declinedView,
                    withoutTemporal.retrieve(asOperator(HttpRequest.GET("/orders/" + declined)), Map.class));
            assertProblem(
                    assertThrows(
                            HttpClientResponseException.class,
                            () -> withoutTemporal.exchange(
                                    asOperator(HttpRequest.POST("/orders/" + completed + "/cancel", "{}")),
                                    String.class)),
                    HttpStatus.CONFLICT,
                    "already COMPLETED");
            assertProblem(
                    assertThrows(
                            HttpClientResponseException.class,
                            () -> withoutTemporal.exchange(
                                    asOperator(HttpRequest.GET("/orders/" + running)), String.class)),
                    HttpStatus.SERVICE_UNAVAILABLE);
        } finally {
            saga.releaseSlowCharges();
        }
        awaitStatus(running, "COMPLETED");
    }

    /** The order once the order view holds {@code events} of its events. */
    private Map<?, ?> awaitEvents(String orderId, int events) {
        Map<?, ?>[] latest = new Map<?, ?>[1];
        Await.until(orderId + " with " + events + " events", Duration.ofSeconds(30), () -> {
            latest[0] = client().retrieve(asOperator(HttpRequest.GET("/orders/" + orderId)), Map.class);
            return ((List<?>) latest[0].get("events")).size() == events;
        });
        return latest[0];
    }

    @Test
    void listsOrdersFromTheProjectionFilteredAndAPageAtATime() {
        saga.databases.execute(ServiceSchema.PAYMENT, "INSERT INTO accounts VALUES ('cust-list', 1000.00)");
        for (int i = 0; i < 3; i++) {
            awaitStatus(
                    (String) post(order("cust-list", "sku-100", 1, "GB"), null)
                            .body()
                            .get("orderId"),
                    "COMPLETED");
        }
        Await.until(
                "the projection shows all three",
                Duration.ofSeconds(30),
                () -> ((List<?>) client().retrieve(
                                                asOperator(HttpRequest.GET(
                                                        "/orders?customerId=cust-list&status=COMPLETED")),
                                                Map.class)
                                        .get("orders"))
                                .size()
                        == 3);
        Await.until(
                "each shows what was paid, in euros, once its charge is applied",
                Duration.ofSeconds(30),
                () -> ((List<?>) client().retrieve(
                                        asOperator(HttpRequest.GET("/orders?customerId=cust-list")), Map.class)
                                .get("orders"))
                        .stream()
                                .map(order -> (Map<?, ?>) ((Map<?, ?>) order).get("paid"))
                                .map(paid -> paid == null
                                        ? "nothing"
                                        : ((Number) paid.get("amount")).doubleValue() + " " + paid.get("currency"))
                                .toList()
                                .equals(Collections.nCopies(3, "10.0 EUR")));

        Map<?, ?> first =
                client().retrieve(asOperator(HttpRequest.GET("/orders?customerId=cust-list&limit=2")), Map.class);
        assertEquals(2, ((List<?>) first.get("orders")).size());
        Map<?, ?> second = client().retrieve(
                        asOperator(HttpRequest.GET(
                                "/orders?customerId=cust-list&limit=2&cursor=" + first.get("nextCursor"))),
                        Map.class);
        assertEquals(1, ((List<?>) second.get("orders")).size());
        assertEquals(null, second.get("nextCursor"));
        assertProblem(refused(asOperator(HttpRequest.GET("/orders?status=LOST"))), HttpStatus.BAD_REQUEST, "status");
        assertProblem(refused(asOperator(HttpRequest.GET("/orders?limit=0"))), HttpStatus.BAD_REQUEST, "limit");
        Map<?, ?> none = client().retrieve(
                        asOperator(HttpRequest.GET("/orders?status=COMPENSATING&customerId=nobody")), Map.class);
        assertEquals(List.of(), none.get("orders"), "an empty page is an empty list");
        Map<?, ?> all = client().retrieve(asOperator(HttpRequest.GET("/orders?customerId=&cursor=")), Map.class);
        assertTrue(((List<?>) all.get("orders")).size() >= 3, "empty parameters filter nothing");
    }

    @Test
    void anOrdersEventsAppearInItsTimeline() {
        String orderId =
                (String) post(order("cust-ok", "sku-100", 1, "GB"), null).body().get("orderId");
        awaitStatus(orderId, "COMPLETED");
        Await.until(
                "the timeline is complete",
                Duration.ofSeconds(30),
                () -> ((List<?>) client().retrieve(asOperator(HttpRequest.GET("/orders/" + orderId)), Map.class)
                                        .get("events"))
                                .size()
                        == 5);
        List<?> events = (List<?>) client().retrieve(asOperator(HttpRequest.GET("/orders/" + orderId)), Map.class)
                .get("events");
        assertEquals("OrderPlaced", ((Map<?, ?>) events.get(0)).get("type"));
    }

    @Test
    void operatorViewsShowStockAndBalances() {
        Map<?, ?> stock = client().retrieve(asOperator(HttpRequest.GET("/inventory/sku-200")), Map.class);
        assertEquals("sku-200", stock.get("sku"));
        assertEquals(250.0, ((Number) stock.get("unitPrice")).doubleValue());
        assertEquals(5, ((Number) stock.get("available")).intValue() + ((Number) stock.get("reserved")).intValue());
        Map<?, ?> poor = client().retrieve(asOperator(HttpRequest.GET("/customers/cust-poor")), Map.class);
        assertEquals(1.0, ((Number) poor.get("balance")).doubleValue());
        assertProblem(
                refused(asOperator(HttpRequest.GET("/inventory/sku-nope"))), HttpStatus.NOT_FOUND, "no sku sku-nope");
        assertProblem(refused(asOperator(HttpRequest.GET("/customers/nobody"))), HttpStatus.NOT_FOUND);
    }

    @Test
    void healthCoversTemporalKafkaAndTheDatabasesAndMetricsIncludeTheTemporalClient() {
        Map<?, ?> health = client().retrieve(asOperator(HttpRequest.GET("/health")), Map.class);
        assertEquals("UP", health.get("status"), health.toString());
        Map<?, ?> details = (Map<?, ?>) health.get("details");
        for (String component : List.of("temporal", "kafka", "jdbc")) {
            assertEquals("UP", ((Map<?, ?>) details.get(component)).get("status"), component + ": " + details);
        }
        post(order("cust-ok", "sku-100", 1, "GB"), null);
        Await.until(
                "Temporal client metrics exported",
                Duration.ofSeconds(30),
                () -> client().retrieve(asOperator(HttpRequest.GET("/prometheus")), String.class)
                        .contains("temporal_request"));
        assertTrue(
                client().retrieve(asOperator(HttpRequest.GET("/prometheus")), String.class)
                        .contains("order_view_applied"),
                "the projection's metrics are exported too");
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpointAndSwaggerUiServesIt() {
        String document = client().retrieve(asOperator(HttpRequest.GET("/swagger/order-saga-0.1.yml")), String.class);
        for (String path : List.of(
                "/orders:",
                "/orders/{orderId}:",
                "/orders/{orderId}/cancel:",
                "/inventory/{sku}:",
                "/customers/{customerId}:")) {
            assertTrue(document.contains("  " + path), path + " documented");
        }
        assertTrue(
                document.contains("Idempotency-Key") && document.contains("application/problem+json"),
                "headers and problem responses documented");
        String page = client().retrieve(asOperator(HttpRequest.GET("/swagger-ui/index.html")), String.class);
        assertTrue(page.contains("order-saga-0.1.yml"), "Swagger UI loads the generated document");
    }

    /**
     * A refund the payment database refuses (a trigger raising SQLSTATE 23514) is retried without end, and loudly:
     * the API shows the compensation failing with {@code DataError}, the workers count it; once the data is fixed
     * the saga finishes by itself.
     */
    @Test
    void aCompensationThatCannotSucceedShowsUntilTheDataIsFixed() {
        saga.databases.execute(ServiceSchema.PAYMENT, "INSERT INTO accounts VALUES ('cust-stuck', 1000.00)");
        saga.databases.execute(ServiceSchema.PAYMENT, """
                CREATE FUNCTION block_refund() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'refunds of cust-stuck are blocked' USING ERRCODE = 'check_violation';
                END $$;
                CREATE TRIGGER block_refund BEFORE UPDATE ON charges FOR EACH ROW
                    WHEN (NEW.status = 'REFUNDED' AND NEW.customer_id = 'cust-stuck')
                    EXECUTE FUNCTION block_refund()""");
        String orderId = (String)
                post(order("cust-stuck", "sku-100", 1, "XX"), null).body().get("orderId");

        Map<?, ?>[] seen = new Map<?, ?>[1];
        Await.until("the refund keeps failing", Duration.ofSeconds(30), () -> {
            seen[0] = client().retrieve(asOperator(HttpRequest.GET("/orders/" + orderId)), Map.class);
            Map<?, ?> refund = (Map<?, ?>) step(seen[0], 2).get("compensation");
            return refund != null && ((Number) refund.get("attempt")).intValue() >= 3;
        });
        assertEquals("COMPENSATING", seen[0].get("status"));
        assertEquals(true, seen[0].get("compensationFailing"));
        Map<?, ?> refund = (Map<?, ?>) step(seen[0], 2).get("compensation");
        assertEquals("DataError", refund.get("lastFailureType"));
        assertTrue(((String) refund.get("lastFailureMessage")).contains("SQLSTATE 23514"), refund.toString());
        assertTrue(
                saga.workerMeters
                                .counter(DatabaseFailures.METRIC, "activity", "PaymentRefund", "kind", "DATA")
                                .count()
                        >= 2,
                "counted");

        saga.databases.execute(ServiceSchema.PAYMENT, "DROP TRIGGER block_refund ON charges");
        Map<?, ?> done = awaitStatus(orderId, "COMPENSATED");
        assertEquals(false, done.get("compensationFailing"));
        assertEquals("COMPENSATED", step(done, 2).get("state"));
        assertEquals(
                1000.0,
                ((Number) client().retrieve(asOperator(HttpRequest.GET("/customers/cust-stuck")), Map.class)
                                .get("balance"))
                        .doubleValue(),
                "refunded in full");
    }

    /** Every operation's success and each of its errors, checked against the document the API serves. */
    @Test
    void everyAnswerIsTheOneTheServedOpenApiDocumentDescribes() {
        ApiContract api = new ApiContract(server.getURI(), saga.operatorToken);
        String valid = order("cust-ok", "sku-100", 1, "GB");
        var accepted = api.post("/orders", valid);
        assertEquals(202, accepted.statusCode());
        String orderId = accepted.body().replaceAll(".*\"orderId\":\"([^\"]+)\".*", "$1");
        assertEquals(
                400,
                api.post("/orders", valid.replace("cust-ok", "cust\\u0000ok")).statusCode());
        assertEquals(400, api.post("/orders", "{not json").statusCode());
        assertEquals(
                400,
                api.post("/orders", valid.replace("\"quantity\": 1", "\"quantity\": 1.5"))
                        .statusCode());
        assertEquals(
                409,
                api.exchange(
                                "POST",
                                "/orders",
                                valid.replace("London", "Paris"),
                                Map.of("Content-Type", "application/json", "Idempotency-Key", conflictingKey(valid)))
                        .statusCode());
        assertEquals(
                413,
                api.post("/orders", "{\"customerId\": \"" + "x".repeat(70_000) + "\"}")
                        .statusCode());
        assertEquals(
                415,
                api.exchange("POST", "/orders", valid, Map.of("Content-Type", "text/plain"))
                        .statusCode());

        awaitStatus(orderId, "COMPLETED");
        assertEquals(200, api.get("/orders/" + orderId).statusCode());
        assertEquals(404, api.get("/orders/nope").statusCode());
        assertEquals(
                409,
                api.post("/orders/" + orderId + "/cancel", "{\"reason\": \"late\"}")
                        .statusCode());
        assertEquals(404, api.post("/orders/nope/cancel", "{}").statusCode());
        assertEquals(
                400,
                api.post("/orders/" + orderId + "/cancel", "{\"reason\": \"a\\u0007b\"}")
                        .statusCode());
        String slow = orderWithChargeInFlight();
        assertEquals(
                202,
                api.post("/orders/" + slow + "/cancel", "{\"reason\": \"changed my mind\"}")
                        .statusCode());
        saga.releaseSlowCharges();
        awaitStatus(slow, "COMPENSATED");
        assertEquals(200, api.get("/orders/" + slow).statusCode());

        for (OrderStatus status : OrderStatus.values()) {
            assertEquals(200, api.get("/orders?status=" + status + "&limit=2").statusCode());
        }
        assertEquals(200, api.get("/orders?customerId=&cursor=").statusCode());
        assertEquals(400, api.get("/orders?limit=0").statusCode());
        assertEquals(400, api.get("/orders?cursor=%25%25").statusCode());
        assertEquals(200, api.get("/inventory/sku-100").statusCode());
        assertEquals(404, api.get("/inventory/sku-nope").statusCode());
        assertEquals(200, api.get("/customers/cust-ok").statusCode());
        assertEquals(404, api.get("/customers/nobody").statusCode());

        Map<String, String> invalidToken = Map.of("Authorization", "Bearer not-a-token");
        Map<String, String> customer = Map.of(
                "Authorization", "Bearer " + saga.identity.issuer().token("cust-ok", false, Duration.ofHours(1)));
        assertEquals(401, api.exchange("GET", "/orders", null, invalidToken).statusCode());
        assertEquals(
                401,
                api.exchange("GET", "/orders/" + orderId, null, invalidToken).statusCode());
        assertEquals(
                401,
                api.exchange("POST", "/orders/" + orderId + "/cancel", "{}", withJson(invalidToken))
                        .statusCode());
        assertEquals(
                401,
                api.exchange("POST", "/orders", valid, withJson(invalidToken)).statusCode());
        assertEquals(
                401,
                api.exchange("GET", "/inventory/sku-100", null, invalidToken).statusCode());
        assertEquals(
                401,
                api.exchange("GET", "/customers/cust-ok", null, invalidToken).statusCode());
        assertEquals(
                403,
                api.exchange("POST", "/orders", valid.replace("cust-ok", "cust-poor"), withJson(customer))
                        .statusCode());
        assertEquals(
                403,
                api.exchange("GET", "/orders?customerId=cust-poor", null, customer)
                        .statusCode());
        assertEquals(
                403, api.exchange("GET", "/inventory/sku-100", null, customer).statusCode());
        assertEquals(
                403, api.exchange("GET", "/customers/cust-poor", null, customer).statusCode());
    }

    private static Map<String, String> withJson(Map<String, String> headers) {
        Map<String, String> json = new HashMap<>(headers);
        json.put("Content-Type", "application/json");
        return json;
    }

    /** An idempotency key already used with {@code body}. */
    private String conflictingKey(String body) {
        String key = "contract-" + System.nanoTime();
        post(body, key);
        return key;
    }

    /** An order of the slow customer, reserved, whose charge is held until {@link SagaServer#releaseSlowCharges()}. */
    private String orderWithChargeInFlight() {
        saga.holdSlowCharges();
        String orderId = (String) post(order(SagaServer.SLOW_CUSTOMER, "sku-100", 1, "GB"), null)
                .body()
                .get("orderId");
        Await.until(
                "charge in flight",
                Duration.ofSeconds(30),
                () -> "DONE".equals(step(orderId, 1).get("state")));
        return orderId;
    }

    private Map<?, ?> step(String orderId, int index) {
        return step(client().retrieve(asOperator(HttpRequest.GET("/orders/" + orderId)), Map.class), index);
    }

    private static Map<?, ?> step(Map<?, ?> order, int index) {
        return (Map<?, ?>) ((List<?>) order.get("steps")).get(index);
    }

    private MutableHttpRequest<String> json(String body) {
        return asOperator(HttpRequest.POST("/orders", body)).contentType(MediaType.APPLICATION_JSON);
    }
}
