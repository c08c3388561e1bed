package org.ordersaga.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code scripts/register-schemas.sh} asks of a registry, recorded by a loopback HTTP server that answers as
 * Confluent's REST API documents. No registry runs here (none is on Maven Central), so this shows the script's
 * requests, not a registry's verdicts: the build's compatibility test is what stops an incompatible change.
 */
class RegisterSchemasScriptTest {

    private record Request(String method, String path, JsonNode body) {}

    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private HttpServer registry;
    private String refusedSubject = "";

    @BeforeEach
    void start() throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/apis/ccompat/v7/", this::answer);
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    @Test
    void registersEachSchemaFileAsASubjectOfItsTypeAndVersionUnderBackwardTransitive() throws Exception {
        assertEquals(0, runScript().exitCode());

        List<String> expected = new ArrayList<>(List.of("envelope.v1"));
        for (EventType type : EventType.values()) {
            EventSchemas.versions(type)
                    .forEach(version -> expected.add(type.service().id() + "." + type.typeName() + ".v" + version));
        }
        List<String> registered = new ArrayList<>();
        for (int i = 0; i < requests.size(); i += 2) {
            Request config = requests.get(i);
            Request schema = requests.get(i + 1);
            String subject = schema.path().replaceAll(".*/subjects/(.+)/versions", "$1");
            assertEquals("PUT /apis/ccompat/v7/config/" + subject, config.method() + " " + config.path());
            assertEquals(
                    "BACKWARD_TRANSITIVE", config.body().get("compatibility").asText());
            assertEquals("POST", schema.method());
            assertEquals("JSON", schema.body().get("schemaType").asText());
            Path file = subject.equals("envelope.v1")
                    ? EventSchemas.envelopeFile()
                    : EventSchemas.DIRECTORY
                            .resolve(subject.substring(0, subject.indexOf('.')))
                            .resolve(subject.substring(subject.indexOf('.') + 1) + ".json");
            assertEquals(
                    EventSchemas.read(file),
                    EventSchemas.MAPPER.readTree(schema.body().get("schema").asText()));
            registered.add(subject);
        }
        Collections.sort(expected);
        Collections.sort(registered);
        assertEquals(expected, registered);
    }

    @Test
    void stopsAtARefusalWithTheRegistrysReason() throws Exception {
        refusedSubject = "payment.PaymentCharged.v2";

        Run run = runScript();

        assertTrue(run.exitCode() != 0);
        assertTrue(run.output().contains("incompatible with an earlier schema"), run.output());
        assertTrue(requests.get(requests.size() - 1).path().contains(refusedSubject), "it stops there");
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        JsonNode body = EventSchemas.MAPPER.readTree(exchange.getRequestBody());
        requests.add(new Request(exchange.getRequestMethod(), path, body));
        boolean refused = path.endsWith("/subjects/" + refusedSubject + "/versions");
        String answer = refused
                ? "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}"
                : path.contains("/config/") ? "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}" : "{\"id\":1}";
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(refused ? 409 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private record Run(int exitCode, String output) {}

    private Run runScript() throws Exception {
        Path output = Files.createDirectories(Path.of("target")).resolve("register-schemas.out");
        Process script = new ProcessBuilder(
                        Path.of("..", "scripts", "register-schemas.sh").toString(),
                        "http://127.0.0.1:" + registry.getAddress().getPort() + "/apis/ccompat/v7")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!script.waitFor(2, TimeUnit.MINUTES)) {
            script.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("scripts/register-schemas.sh did not end within 2 minutes");
        }
        return new Run(script.exitValue(), Files.readString(output));
    }
}
