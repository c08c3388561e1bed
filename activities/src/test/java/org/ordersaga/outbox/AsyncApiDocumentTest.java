package org.ordersaga.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ordersaga.ToolRun;
import org.ordersaga.saga.SagaService;

/**
 * {@code docs/events/asyncapi.yaml} is the one the event types and their schema files derive, and AsyncAPI's own parser
 * finds it valid, its references to the schema files resolved. The parser is installed by
 * {@code scripts/asyncapi-parser.sh} (with npm); without it that test is skipped, loudly, and with
 * {@code REQUIRE_ASYNCAPI_PARSER=1} (as in CI) it fails.
 */
class AsyncApiDocumentTest {

    private static final Duration INSTALL_LIMIT = Duration.ofMinutes(10);
    private static final Duration PARSE_LIMIT = Duration.ofMinutes(2);

    @Test
    void theDocumentIsTheOneTheEventTypesAndTheirSchemasDerive() {
        if ("write".equals(System.getProperty("event-schemas"))) {
            AsyncApiDocument.write(AsyncApiDocument.derive());
        }
        assertEquals(
                AsyncApiDocument.derive(),
                AsyncApiDocument.read(),
                AsyncApiDocument.FILE + " is not what the event types derive; to write it: ./mvnw -pl activities test"
                        + " -Dtest=AsyncApiDocumentTest -Devent-schemas=write");
    }

    @Test
    void theEventsDocumentNamesEveryHeader() {
        String markdown = EventsDoc.markdown();
        assertEquals(
                List.of(),
                AsyncApiDocument.HEADERS.keySet().stream()
                        .filter(header -> !markdown.contains("`" + header + "`"))
                        .toList());
    }

    @Test
    void asyncApisParserFindsTheDocumentValid() throws Exception {
        Path log = Files.createDirectories(Path.of("target")).resolve("asyncapi-parser.log");
        Files.deleteIfExists(log);
        ToolRun installed = ToolRun.of(
                List.of(Path.of("..", "scripts", "asyncapi-parser.sh").toString()), INSTALL_LIMIT, log);
        if (installed.exitCode() != 0) {
            ToolRun.missing(
                    "REQUIRE_ASYNCAPI_PARSER",
                    "this test needs AsyncAPI's parser, which scripts/asyncapi-parser.sh could not install:\n"
                            + Files.readString(log));
        }
        Path script = Path.of(
                AsyncApiDocumentTest.class.getResource("/asyncapi/validate.mjs").toURI());

        ToolRun parsed = ToolRun.of(
                List.of("node", script.toString(), installed.lastLine(), AsyncApiDocument.FILE.toString()),
                PARSE_LIMIT,
                log);

        assertEquals(0, parsed.exitCode(), parsed.output() + "\n(see " + log + ")");
        int channels = 2 * SagaService.values().length;
        assertTrue(
                parsed.output().contains("parsed: " + channels + " channels"),
                "every topic and dead-letter topic: " + parsed.output());
    }
}
