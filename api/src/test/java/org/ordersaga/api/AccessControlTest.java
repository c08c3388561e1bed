package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.Await;
import org.ordersaga.db.Queries;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.local.TokenIssuer;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.OrderWorkflow;
import org.ordersaga.saga.OrderWorkflows;
import org.ordersaga.saga.SagaStatus;
import org.ordersaga.saga.SagaStep;
import org.ordersaga.saga.StepState;

/**
 * Who may do what. Every endpoint against every kind of caller: nobody, the customer whose order or money it is,
 * another customer, an operator, and an operator's token expired or forged. Each answer's status is checked and,
 * where a call may change nothing (it was refused, or it reads), that nothing changed: balances, charges, stock,
 * reservations, order records, idempotency keys and every saga's state. Then each way a token is not valid.
 *
 * <p>The owner's charges are refused by a database trigger (a transient error, retried) until the end, so its
 * orders stay in flight, reserved and not charged, while the matrix runs.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessControlTest implements TestPropertyProvider {

    private static final String OWNER = "cust-held";
    private static final String OTHER = "cust-ok";
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Who {
        NOBODY,
        OWNER,
        OTHER_CUSTOMER,
        OPERATOR,
        EXPIRED_OPERATOR,
        FORGED_OPERATOR
    }

    private SagaServer saga;
    private WorkflowServiceStubs stubs;
    private WorkflowClient temporal;
    private final Map<Who, String> tokens = new EnumMap<>(Who.class);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        saga = new SagaServer();
        TokenIssuer issuer = saga.identity.issuer();
        Instant now = Instant.now();
        tokens.put(Who.OWNER, issuer.token(OWNER, false, Duration.ofHours(1)));
        tokens.put(Who.OTHER_CUSTOMER, issuer.token(OTHER, false, Duration.ofHours(1)));
        tokens.put(Who.OPERATOR, saga.operatorToken);
        tokens.put(
                Who.EXPIRED_OPERATOR,
                issuer.sign(issuer.claims("ops", true, now.minus(Duration.ofHours(2)), now.minusSeconds(60))
                        .build()));
        tokens.put(
                Who.FORGED_OPERATOR,
                forged(issuer.claims("ops", true, now, now.plus(Duration.ofHours(1)))
                        .build()));
        stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(saga.target).build());
        temporal = saga.temporalClient(stubs);
        return saga.apiProperties(saga.target);
    }

    @AfterAll
    void stop() {
        stubs.shutdownNow();
        saga.close();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyEndpointAnswersEachCallerAsItMayAndRefusalsChangeNothing() {
        saga.databases.execute(ServiceSchema.PAYMENT, "INSERT INTO accounts VALUES ('" + OWNER + "', 1000.00)");
        saga.databases.execute(ServiceSchema.PAYMENT, """
                CREATE FUNCTION hold_charges() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'charges of %% are held', NEW.customer_id USING ERRCODE = 'serialization_failure';
                END $$;
                CREATE TRIGGER hold_charges BEFORE INSERT ON charges FOR EACH ROW
                    WHEN (NEW.customer_id = '%s') EXECUTE FUNCTION hold_charges()""".formatted(OWNER));
        BigDecimal otherBalance = Queries.balance(saga.databases.dataSource(ServiceSchema.PAYMENT), OTHER);
        String held = placeAndHold(Who.OPERATOR);
        List<String> owned = new ArrayList<>(List.of(held));
        Map<Who, String> cancellable = new EnumMap<>(Who.class);

        check("POST /orders", expect(202, 403, 202), who -> {
            HttpResponse<String> placed = call(who, "POST", "/orders", order(OWNER));
            if (placed.statusCode() == 202) {
                String orderId = field(placed, "orderId");
                awaitHeld(orderId);
                owned.add(orderId);
                cancellable.put(who, orderId);
            }
            return placed;
        });
        check(
                "GET /orders?customerId=" + OWNER,
                expect(200, 403, 200),
                who -> call(who, "GET", "/orders?customerId=" + OWNER, null));
        check("GET /orders", expect(200, 200, 200), who -> call(who, "GET", "/orders", null));
        check("GET /orders/{id}", expect(200, 404, 200), who -> call(who, "GET", "/orders/" + held, null));
        check("GET /customers/{owner}", expect(200, 403, 200), who -> call(who, "GET", "/customers/" + OWNER, null));
        check("GET /inventory/{sku}", expect(403, 403, 200), who -> call(who, "GET", "/inventory/sku-100", null));
        check("GET /prometheus", expect(403, 403, 200), who -> call(who, "GET", "/prometheus", null));
        check(
                "GET /swagger-ui/index.html",
                expect(403, 403, 200),
                who -> call(who, "GET", "/swagger-ui/index.html", null));
        check(
                "GET /swagger/order-saga-0.1.yml",
                expect(403, 403, 200),
                who -> call(who, "GET", "/swagger/order-saga-0.1.yml", null));
        for (String codec : List.of("/codec/decode", "/codec/encode")) {
            check("POST " + codec, expect(403, 403, 200), who -> call(who, "POST", codec, "{\"payloads\":[]}"));
        }
        Map<Who, Integer> anyone = new EnumMap<>(Who.class);
        for (Who who : Who.values()) {
            anyone.put(who, 200);
        }
        for (String health : List.of("/health", "/health/liveness", "/health/readiness")) {
            check("GET " + health, anyone, who -> {
                HttpResponse<String> answer = call(who, "GET", health, null);
                JsonNode body = json(answer);
                assertEquals("UP", body.path("status").asText(), health + " " + answer.body());
                assertEquals(
                        who == Who.OPERATOR, body.has("details"), who + " " + health + " details: " + answer.body());
                return answer;
            });
        }
        assertTrue(
                !call(Who.OTHER_CUSTOMER, "GET", "/orders", null).body().contains(OWNER),
                "another customer's listing holds none of the owner's orders");

        check(
                "POST /orders/{id}/cancel",
                expect(202, 404, 202),
                who -> call(who, "POST", "/orders/" + cancellable.getOrDefault(who, held) + "/cancel", "{}"));
        assertNull(sagaOf(held).cancelReason(), "no refused cancel reached the saga");

        saga.databases.execute(ServiceSchema.PAYMENT, "DROP TRIGGER hold_charges ON charges");
        for (String orderId : owned) {
            Await.until(
                    orderId + " final",
                    Duration.ofSeconds(60),
                    () -> sagaOf(orderId).status().isTerminal());
        }
        assertEquals(OrderStatus.COMPLETED, sagaOf(held).status(), "the order nobody may cancel completed");
        for (String orderId : cancellable.values()) {
            assertEquals(OrderStatus.COMPENSATED, sagaOf(orderId).status(), orderId + " cancelled by its caller");
        }
        assertEquals(
                List.copyOf(new TreeSet<>(owned)),
                Queries.strings(
                        saga.databases.dataSource(ServiceSchema.ORDERS),
                        "SELECT order_id FROM orders WHERE customer_id = ? ORDER BY order_id",
                        OWNER),
                "exactly the accepted requests placed the owner's orders");
        BigDecimal total = sagaOf(held).total();
        assertEquals(
                0,
                new BigDecimal("1000.00")
                        .subtract(total)
                        .compareTo(Queries.balance(saga.databases.dataSource(ServiceSchema.PAYMENT), OWNER)),
                "the owner paid for the completed order only");
        assertEquals(
                0,
                otherBalance.compareTo(Queries.balance(saga.databases.dataSource(ServiceSchema.PAYMENT), OTHER)),
                "the other customer paid nothing");
    }

    /** Each way a token is not valid is a 401 problem whose challenge says the token was not valid. */
    @Test
    void aTokenThatIsNotValidIsRefusedWithItsChallenge() throws Exception {
        TokenIssuer issuer = saga.identity.issuer();
        Instant now = Instant.now();
        Instant hourLater = now.plus(Duration.ofHours(1));
        String genuine = issuer.token(OWNER, false, Duration.ofHours(1));
        String[] parts = genuine.split("\\.");
        String promoted = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(issuer.claims(OWNER, true, now, hourLater)
                        .build()
                        .toString()
                        .getBytes(StandardCharsets.UTF_8));
        Map<String, String> invalid = Map.of(
                "alg none",
                new PlainJWT(issuer.claims("ops", true, now, hourLater).build()).serialize(),
                "claims changed after signing",
                parts[0] + "." + promoted + "." + parts[2],
                "signed by another key",
                tokens.get(Who.FORGED_OPERATOR),
                "expired",
                tokens.get(Who.EXPIRED_OPERATOR),
                "not yet valid",
                issuer.sign(issuer.claims(OWNER, false, hourLater, hourLater.plus(Duration.ofHours(1)))
                        .build()),
                "another issuer",
                issuer.sign(issuer.claims(OWNER, false, now, hourLater)
                        .issuer("https://elsewhere.example")
                        .build()),
                "another audience",
                issuer.sign(issuer.claims(OWNER, false, now, hourLater)
                        .audience("another-api")
                        .build()),
                "no expiry",
                issuer.sign(issuer.claims(OWNER, false, now, hourLater)
                        .expirationTime(null)
                        .build()),
                "not a token",
                "not-a-token");
        invalid.forEach((how, token) -> {
            HttpResponse<String> answer = send("GET", "/orders", null, "Bearer " + token);
            assertUnauthorized(how, answer);
            assertEquals(
                    "Bearer realm=\"order-saga\", error=\"invalid_token\"",
                    answer.headers().firstValue("WWW-Authenticate").orElse(""),
                    how);
        });
        HttpResponse<String> none = send("GET", "/orders", null, null);
        assertUnauthorized("no token", none);
        assertEquals(
                "Bearer realm=\"order-saga\"",
                none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(200, send("GET", "/orders", null, "Bearer " + genuine).statusCode(), "the genuine token");
    }

    /** Without an issuer and its JWKS the API would accept nothing, or worse: it refuses to start, saying why. */
    @Test
    void theApiDoesNotStartWithoutItsIdentityProvider() {
        for (String missing : List.of("saga.security.issuer", "saga.security.jwks-url")) {
            Map<String, Object> properties = new HashMap<>(saga.apiProperties(saga.target));
            properties.remove(missing);
            RuntimeException refused = assertThrows(
                    RuntimeException.class,
                    () -> ApplicationContext.run(EmbeddedServer.class, properties)
                            .close());
            assertTrue(messages(refused).contains(missing.substring("saga.security.".length())), messages(refused));
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }

    /** The same Idempotency-Key from two callers is two keys; from the same caller, the same order. */
    @Test
    void idempotencyKeysAreScopedByCaller() {
        String key = "checkout-42";
        String mine = field(call(Who.OTHER_CUSTOMER, "POST", "/orders", order(OTHER), key), "orderId");
        String again = field(call(Who.OTHER_CUSTOMER, "POST", "/orders", order(OTHER), key), "orderId");
        HttpResponse<String> theirs = send(
                "POST",
                "/orders",
                order("cust-poor"),
                "Bearer " + saga.identity.issuer().token("cust-poor", false, Duration.ofHours(1)),
                key);
        assertEquals(202, theirs.statusCode(), theirs.body());
        assertEquals(mine, again);
        assertNotEquals(mine, field(theirs, "orderId"));
        for (String orderId : List.of(mine, field(theirs, "orderId"))) {
            Await.until(
                    orderId + " final",
                    Duration.ofSeconds(60),
                    () -> sagaOf(orderId).status().isTerminal());
        }
    }

    /** A customer that leaves customerId out orders for itself. */
    @Test
    void aCustomersOrderWithoutCustomerIdIsItsOwn() {
        HttpResponse<String> placed = call(
                Who.OTHER_CUSTOMER, "POST", "/orders", order(OTHER).replace("\"customerId\":\"" + OTHER + "\",", ""));
        assertEquals(202, placed.statusCode(), placed.body());
        String orderId = field(placed, "orderId");
        assertEquals(OTHER, sagaOf(orderId).customerId());
        Await.until(
                orderId + " final",
                Duration.ofSeconds(60),
                () -> sagaOf(orderId).status().isTerminal());
        HttpResponse<String> operatorWithout =
                call(Who.OPERATOR, "POST", "/orders", order(OTHER).replace("\"customerId\":\"" + OTHER + "\",", ""));
        assertEquals(400, operatorWithout.statusCode());
        assertTrue(operatorWithout.body().contains("customerId"), operatorWithout.body());
    }

    /**
     * Calls the endpoint as each caller: the answer must be the expected one, and when the call may not change
     * anything (refused, or a read), nothing changed.
     */
    private void check(String endpoint, Map<Who, Integer> expected, Function<Who, HttpResponse<String>> call) {
        for (Who who : Who.values()) {
            String before = state();
            HttpResponse<String> answer = call.apply(who);
            assertAnswer(who, endpoint, answer, expected.get(who));
            if (answer.statusCode() != 202) {
                assertEquals(before, state(), who + " " + endpoint + " changed nothing");
            }
        }
    }

    private static void assertAnswer(Who who, String endpoint, HttpResponse<String> answer, int expected) {
        assertEquals(expected, answer.statusCode(), who + " " + endpoint + ": " + answer.body());
        if (expected >= 400) {
            assertEquals(
                    Problem.MEDIA_TYPE,
                    answer.headers().firstValue("Content-Type").orElse(""),
                    who + " " + endpoint);
        }
        String challenge = answer.headers().firstValue("WWW-Authenticate").orElse("");
        switch (expected) {
            case 401 -> assertTrue(challenge.startsWith("Bearer realm=\"order-saga\""), who + " " + endpoint);
            // a path for operators only says why; the API's own 403s (another customer's id) need not
            case 403 ->
                assertTrue(
                        challenge.isEmpty() || challenge.endsWith("error=\"insufficient_scope\""),
                        who + " " + endpoint);
            default -> assertEquals("", challenge, who + " " + endpoint);
        }
    }

    private static void assertUnauthorized(String how, HttpResponse<String> answer) {
        assertEquals(401, answer.statusCode(), how + ": " + answer.body());
        assertEquals(
                Problem.MEDIA_TYPE, answer.headers().firstValue("Content-Type").orElse(""), how);
    }

    /** What each caller gets: no token, expired or forged 401; the owner, another customer, the operator as given. */
    private static Map<Who, Integer> expect(int owner, int otherCustomer, int operator) {
        Map<Who, Integer> expected = new EnumMap<>(Who.class);
        expected.put(Who.NOBODY, 401);
        expected.put(Who.OWNER, owner);
        expected.put(Who.OTHER_CUSTOMER, otherCustomer);
        expected.put(Who.OPERATOR, operator);
        expected.put(Who.EXPIRED_OPERATOR, 401);
        expected.put(Who.FORGED_OPERATOR, 401);
        return expected;
    }

    /** Everything a call could change: money, stock, order records, idempotency keys, the owner's sagas. */
    private String state() {
        List<String> state = new ArrayList<>();
        state.addAll(rows(ServiceSchema.PAYMENT, "SELECT customer_id || ' ' || balance FROM accounts ORDER BY 1"));
        state.addAll(rows(ServiceSchema.PAYMENT, "SELECT charge_key || ' ' || status FROM charges ORDER BY 1"));
        state.addAll(rows(ServiceSchema.INVENTORY, "SELECT sku || ' ' || available FROM catalog ORDER BY 1"));
        state.addAll(
                rows(ServiceSchema.INVENTORY, "SELECT reservation_key || ' ' || status FROM reservations ORDER BY 1"));
        List<String> orders = rows(
                ServiceSchema.ORDERS, "SELECT order_id || ' ' || customer_id || ' ' || status FROM orders ORDER BY 1");
        state.addAll(orders);
        state.addAll(
                rows(ServiceSchema.API, "SELECT principal || ' ' || idempotency_key FROM idempotency_keys ORDER BY 1"));
        for (String order : orders) {
            SagaStatus status = sagaOf(order.split(" ")[0]);
            state.add(status.status() + " " + status.cancelReason() + " " + status.steps());
        }
        return String.join("\n", state);
    }

    private List<String> rows(ServiceSchema schema, String sql) {
        return Queries.strings(saga.databases.dataSource(schema), sql);
    }

    /** Places an order of the owner as {@code who} and waits until its charge is being retried. */
    private String placeAndHold(Who who) {
        HttpResponse<String> placed = call(who, "POST", "/orders", order(OWNER));
        assertEquals(202, placed.statusCode(), placed.body());
        String orderId = field(placed, "orderId");
        awaitHeld(orderId);
        return orderId;
    }

    /** Reserved and not charged: the charge step failing on the trigger and retried, nothing else moving. */
    private void awaitHeld(String orderId) {
        Await.until(orderId + " held at its charge", Duration.ofSeconds(30), () -> {
            JsonNode order = json(call(Who.OPERATOR, "GET", "/orders/" + orderId, null));
            JsonNode charge = order.path("steps").get(SagaStep.CHARGE_PAYMENT.ordinal());
            return charge.path("state").asText().equals(StepState.PENDING.name())
                    && charge.path("activity").path("attempt").asInt() >= 2;
        });
    }

    private SagaStatus sagaOf(String orderId) {
        return temporal.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.workflowId(orderId))
                .status();
    }

    private static String order(String customerId) {
        return """
                {"customerId":"%s","items":[{"sku":"sku-100","quantity":1}],"shippingAddress":{"name":"Ada",\
                "line1":"1 Main St","city":"London","postalCode":"N1","country":"GB"}}""".formatted(customerId);
    }

    private HttpResponse<String> call(Who who, String method, String path, String body) {
        return call(who, method, path, body, null);
    }

    private HttpResponse<String> call(Who who, String method, String path, String body, String idempotencyKey) {
        String token = tokens.get(who);
        return send(method, path, body, token == null ? null : "Bearer " + token, idempotencyKey);
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) {
        return send(method, path, body, authorization, null);
    }

    private HttpResponse<String> send(
            String method, String path, String body, String authorization, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.getURI().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + answer.body(), e);
        }
    }

    private static String field(HttpResponse<String> answer, String name) {
        assertEquals(202, answer.statusCode(), answer.body());
        return json(answer).path(name).asText();
    }

    /** The claims signed by a key the attacker made, under the identity provider's key id. */
    private String forged(JWTClaimsSet claims) {
        try {
            String realKeyId = SignedJWT.parse(saga.operatorToken).getHeader().getKeyID();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(realKeyId).build(), claims);
            jwt.sign(new RSASSASigner(new RSAKeyGenerator(2048).keyID(realKeyId).generate()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
