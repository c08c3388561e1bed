package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ordersaga.saga.OrderWorkflows;

/**
 * The codec server as the Web UI and the {@code temporal} CLI call it: Temporal's remote codec protocol over what
 * Temporal really holds, the CORS preflight of the Web UI's origin, and refusals as problems naming what is wrong.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodecServerTest implements TestPropertyProvider {

    private static final String WEB_UI = "http://127.0.0.1:8233";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SagaServer saga;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        saga = new SagaServer();
        return saga.apiProperties(saga.target);
    }

    @AfterAll
    void stop() {
        saga.close();
    }

    @Test
    void theCodecServerDecryptsTheInputTemporalHolds() throws Exception {
        HttpResponse<String> placed = post("/orders", """
                {"customerId":"cust-ok","items":[{"sku":"sku-100","quantity":1}],"shippingAddress":{"name":"Ada Lovelace",\
                "line1":"12 St James's Square","city":"London","postalCode":"SW1Y 4JH","country":"GB"}}""", Map.of());
        assertEquals(202, placed.statusCode(), placed.body());
        String orderId = JSON.readTree(placed.body()).path("orderId").asText();

        Payload input = storedInput(orderId);
        assertEquals("binary/encrypted", input.getMetadataOrThrow("encoding").toStringUtf8());
        assertFalse(input.toByteString().toStringUtf8().contains("Ada"), "Temporal holds no name");

        String stored = JsonFormat.printer().print(Payloads.newBuilder().addPayloads(input));
        HttpResponse<String> decoded = post("/codec/decode", stored, Map.of("X-Namespace", "default"));
        assertEquals(200, decoded.statusCode(), decoded.body());
        JsonNode payload = JSON.readTree(decoded.body()).path("payloads").get(0);
        assertEquals(
                "json/plain", base64(payload.path("metadata").path("encoding").asText()));
        assertTrue(base64(payload.path("data").asText()).contains("\"name\":\"Ada Lovelace\""), decoded.body());
    }

    @Test
    void whatItEncodesItDecodes() throws Exception {
        String plain = """
                {"payloads":[{"metadata":{"encoding":"%s"},"data":"%s"}]}""".formatted(
                        Base64.getEncoder().encodeToString("json/plain".getBytes(StandardCharsets.UTF_8)),
                        Base64.getEncoder().encodeToString("\"signal\"".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> encoded = post("/codec/encode", plain, Map.of());
        assertEquals(200, encoded.statusCode(), encoded.body());
        assertFalse(encoded.body().contains(Base64.getEncoder().encodeToString("\"signal\"".getBytes())));
        HttpResponse<String> decoded = post("/codec/decode", encoded.body(), Map.of("X-Namespace", ""));
        assertEquals(JSON.readTree(plain), JSON.readTree(decoded.body()), "an empty X-Namespace, as the CLI sends it");
    }

    @Test
    void theWebUisOriginMayCallItAcrossOriginsAndNoOtherMay() {
        HttpResponse<String> preflight = preflight(WEB_UI);
        assertEquals(200, preflight.statusCode(), preflight.body());
        assertEquals(
                WEB_UI,
                preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        String allowed = String.join(",", preflight.headers().allValues("Access-Control-Allow-Headers"))
                .toLowerCase();
        for (String header : new String[] {"content-type", "x-namespace", "authorization"}) {
            assertTrue(allowed.contains(header), header + " in " + allowed);
        }
        assertFalse(
                preflight
                        .headers()
                        .firstValue("Access-Control-Allow-Credentials")
                        .orElse("")
                        .equals("true"),
                "no cookies");

        HttpResponse<String> call = post("/codec/decode", "{\"payloads\":[]}", Map.of("Origin", WEB_UI));
        assertEquals(200, call.statusCode(), call.body());
        assertEquals(
                WEB_UI, call.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        HttpResponse<String> elsewhere = preflight("https://elsewhere.example");
        assertTrue(
                elsewhere.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                "another origin is not allowed: " + elsewhere.headers().map());
    }

    @Test
    void anotherNamespaceOrABodyThatIsNotPayloadsIsAProblemNamingIt() throws Exception {
        HttpResponse<String> namespace =
                post("/codec/decode", "{\"payloads\":[]}", Map.of("X-Namespace", "someone-else"));
        assertEquals(400, namespace.statusCode(), namespace.body());
        assertTrue(
                JSON.readTree(namespace.body()).path("errors").get(0).asText().startsWith("X-Namespace: "));

        HttpResponse<String> garbage = post("/codec/decode", "{\"payload\":[]}", Map.of());
        assertEquals(400, garbage.statusCode(), garbage.body());
        assertTrue(JSON.readTree(garbage.body()).path("errors").get(0).asText().startsWith("payloads: "));

        String foreign = """
                {"payloads":[{"metadata":{"encoding":"%s","encryption-key-id":"%s"},"data":"AAAAAAAAAAAAAAAAAAAAAAAA"}]}""".formatted(
                        Base64.getEncoder().encodeToString("binary/encrypted".getBytes(StandardCharsets.UTF_8)),
                        Base64.getEncoder().encodeToString("elsewhere".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> unknownKey = post("/codec/decode", foreign, Map.of());
        assertEquals(400, unknownKey.statusCode(), unknownKey.body());
        assertTrue(unknownKey.body().contains("'elsewhere'"), unknownKey.body());
    }

    private Payload storedInput(String orderId) {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(saga.target).build());
        try {
            return stubs.blockingStub()
                    .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                            .setNamespace("default")
                            .setExecution(
                                    WorkflowExecution.newBuilder().setWorkflowId(OrderWorkflows.workflowId(orderId)))
                            .build())
                    .getHistory()
                    .getEvents(0)
                    .getWorkflowExecutionStartedEventAttributes()
                    .getInput()
                    .getPayloads(0);
        } finally {
            stubs.shutdown();
        }
    }

    private HttpResponse<String> preflight(String origin) {
        return send(HttpRequest.newBuilder(server.getURI().resolve("/codec/decode"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-namespace,authorization"));
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.getURI().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + saga.operatorToken);
        headers.forEach(request::header);
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String encoded) {
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
}
