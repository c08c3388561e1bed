package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.History;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.ordersaga.Await;
import org.ordersaga.RealTemporal;
import org.ordersaga.ToolRun;
import org.ordersaga.local.EventSequences;
import org.ordersaga.local.LocalTemporal;
import org.ordersaga.local.OrdersClient;
import org.ordersaga.local.Ports;
import org.ordersaga.local.PublishedEvents;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.SagaService;

/**
 * The local stack as a user runs it: the packaged launcher ({@code ./run-local.sh} runs the same command after
 * building) starts PostgreSQL, Kafka, Temporal (here the real dev server when the CLI is there;
 * {@link LocalStackOnTemporalServerIT} runs all this on the production server), four worker processes
 * and the API. Orders of every outcome go in over HTTP with the tokens the stack wrote; their final states, stock and
 * balances are read back through the API and their events from Kafka, checked against docs/events.md; a SIGTERM
 * (what Ctrl-C sends) leaves no process behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LocalStackIT {

    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(4);
    private static final Duration LIMIT = Duration.ofSeconds(90);
    /** The demo's orders ship to her (OrdersClient). */
    private static final String CUSTOMER_NAME = "Ada Lovelace";

    private final int apiPort = Ports.free();
    private final int temporalPort = Ports.free();
    private final int temporalUiPort = Ports.free();
    private final int kafkaPort = Ports.free();
    private final int postgresPort = Ports.free();
    private final int zipkinPort = Ports.free();
    private final String apiUrl = "http://127.0.0.1:" + apiPort;
    private final Path directory = Path.of("target", getClass().getSimpleName()).toAbsolutePath();
    private OrdersClient operator;
    private OrdersClient okCustomer;
    private OrdersClient poorCustomer;
    private final Path output =
            Path.of("target", getClass().getSimpleName() + ".out").toAbsolutePath();
    private final Map<String, String> outcomes = new LinkedHashMap<>();
    private String readmeDeclined;
    private Process stack;
    private String started;

    /** The launcher's {@code --temporal} options: none, so the dev server when there is a CLI. */
    List<String> temporalOptions() {
        return List.of();
    }

    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // beyond STARTUP_LIMIT, so that a slow start reports the stack's logs
    void startTheStack() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("local-stack.classpath"),
                "org.ordersaga.local.LocalStack"));
        command.addAll(temporalOptions());
        command.addAll(List.of(
                "--demo",
                "--tracing",
                "--zipkin-port=" + zipkinPort,
                "--dir=" + directory,
                "--api-port=" + apiPort,
                "--temporal-port=" + temporalPort,
                "--temporal-ui-port=" + temporalUiPort,
                "--kafka-port=" + kafkaPort,
                "--postgres-port=" + postgresPort,
                "--worker-jar=" + System.getProperty("worker.jar"),
                "--api-jar=" + System.getProperty("api.jar"),
                "--zipkin-jar=" + System.getProperty("zipkin.jar")));
        ProcessBuilder launcher =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        stack = launcher.start();
        started = awaitOutput("Ctrl-C stops everything.");
        operator = new OrdersClient(apiUrl, token("operator"));
        okCustomer = new OrdersClient(apiUrl, token("cust-ok"));
        poorCustomer = new OrdersClient(apiUrl, token("cust-poor"));
    }

    /** A token the stack wrote: the bare token, for its owner's eyes only. */
    private String token(String name) throws IOException {
        Path file = directory.resolve("tokens").resolve(name + ".jwt");
        assertEquals(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        String token = Files.readString(file);
        assertTrue(token.matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+"), name + ": " + token);
        return token;
    }

    /**
     * After a failure before the Ctrl-C test: SIGTERM, so that the launcher stops what it started; whatever is left
     * after its processes' grace is killed, its children first (a killed launcher would leave them running).
     */
    @AfterAll
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void stopTheStack() throws InterruptedException {
        if (stack != null && stack.isAlive()) {
            stack.destroy();
            if (!stack.waitFor(2, TimeUnit.MINUTES)) {
                stack.descendants().forEach(ProcessHandle::destroyForcibly);
                stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Order(1)
    void theDemoShowsEachOutcome() {
        for (String line : List.of(
                "completed +\\S+ +COMPLETED +- +OrderPlaced InventoryReserved PaymentCharged"
                        + " ShipmentCreated OrderCompleted",
                "out of stock +\\S+ +COMPENSATED +OutOfStock ",
                "payment declined +\\S+ +COMPENSATED +PaymentDeclined ",
                "address unserviceable +\\S+ +COMPENSATED +AddressUnserviceable ")) {
            assertTrue(Pattern.compile(line).matcher(started).find(), line + " in\n" + started);
        }
        assertTrue(
                Pattern.compile("cancelled +\\S+ +COMPENSATED +OrderCancelled ")
                                .matcher(started)
                                .find()
                        || started.contains("the cancel came too late"),
                "the cancelled order in\n" + started);
        assertFalse(started.contains("not final after"), started);
    }

    /**
     * Each worker's metrics where the summary says: its relay active, its outbox's backlog, the Temporal SDK's; the
     * orders worker counts the demo's sagas by outcome; the API its projection's lag and its HTTP requests.
     */
    @Test
    @Order(1)
    void eachProcessServesItsMetricsWhereTheSummarySays() {
        for (SagaService service : SagaService.values()) {
            Matcher url = Pattern.compile("metrics " + service.id() + " +(http://127\\.0\\.0\\.1:\\d+)/prometheus")
                    .matcher(started);
            assertTrue(url.find(), service.id() + "'s metrics in\n" + started);
            String metrics = new OrdersClient(url.group(1)).text("/prometheus");
            String tag = "\\{service=\"" + service.id() + "\"}";
            for (String sample : List.of(
                    "jvm_memory_used_bytes\\{",
                    "temporal_long_request_total\\{",
                    "outbox_relay_active" + tag + " 1\\.0",
                    "outbox_relay_published_total" + tag + " [1-9]",
                    "outbox_pending_rows" + tag + " \\d",
                    "outbox_oldest_pending_age_seconds" + tag + " \\d")) {
                assertTrue(Pattern.compile("(?m)^" + sample).matcher(metrics).find(), service.id() + ": " + sample);
            }
            if (service == SagaService.ORDERS) {
                assertTrue(
                        metrics.contains("saga_outcomes_total{failure_type=\"none\",status=\"COMPLETED\"}"), metrics);
                assertTrue(
                        metrics.contains(
                                "saga_outcomes_total{failure_type=\"PaymentDeclined\",status=\"COMPENSATED\"}"),
                        metrics);
            }
        }
        String api = operator.text("/prometheus");
        assertTrue(
                Pattern.compile("(?m)^order_view_lag_events\\{consumer=\"order-view\"} \\d")
                        .matcher(api)
                        .find(),
                api);
        assertTrue(api.contains("http_server_requests_seconds_count{"), api);
    }

    /** The saga logs how it ended through Workflow.getLogger, with its workflow id in the MDC. */
    /**
     * Every metric the alerts (docker/prometheus/alerts.yml) and the Grafana dashboard read, some process serves; but
     * the count of activity attempts that met a database failure, which starts with the first (DatabaseOutageIT sees
     * the orders worker serve it).
     */
    @Test
    @Order(1)
    void theProcessesServeEveryMetricTheAlertsAndTheDashboardRead() throws Exception {
        StringBuilder served = new StringBuilder(operator.text("/prometheus"));
        for (SagaService service : SagaService.values()) {
            Matcher url = Pattern.compile("metrics " + service.id() + " +(http://127\\.0\\.0\\.1:\\d+)/prometheus")
                    .matcher(started);
            assertTrue(url.find(), started);
            served.append(new OrdersClient(url.group(1)).text("/prometheus"));
        }
        assertEquals(
                List.of(),
                AlertRulesTest.metrics().stream()
                        .filter(metric -> !metric.equals("saga_activity_database_failures_total"))
                        .filter(metric -> !Pattern.compile("(?m)^" + metric + "[{ ]")
                                .matcher(served)
                                .find())
                        .toList());
    }

    @Test
    @Order(1)
    void theOrdersWorkerLogsHowEachSagaEndedWithItsWorkflowId() throws Exception {
        String log = Files.readString(directory.resolve("logs").resolve("worker-orders.log"));
        String completed = demoOrder("completed");
        String declined = demoOrder("payment declined");
        assertTrue(log.contains(" order-" + completed + " - order " + completed + " completed"), log);
        assertTrue(
                log.contains(" order-" + declined + " - order " + declined + ": PaymentDeclined at CHARGE_PAYMENT"),
                log);
    }

    /** stack.json names every process with its role, a live pid and URLs that answer. */
    @Test
    @Order(1)
    void theStackFileSaysWhereEverythingIs() throws Exception {
        JsonNode file =
                new ObjectMapper().readTree(directory.resolve("stack.json").toFile());
        assertTrue(started.contains("Stack file   " + directory.resolve("stack.json")), started);
        Map<String, List<JsonNode>> byRole = new TreeMap<>();
        file.path("processes")
                .forEach(process -> byRole.computeIfAbsent(process.path("role").asText(), role -> new ArrayList<>())
                        .add(process));
        assertEquals(Set.of("api", "kafka", "postgresql", "temporal", "traces", "worker"), byRole.keySet());
        assertEquals(SagaService.values().length, byRole.get("worker").size());
        for (JsonNode process : file.path("processes")) {
            String name = process.path("name").asText();
            if (process.has("pid")) {
                assertTrue(
                        ProcessHandle.of(process.path("pid").asLong())
                                .map(ProcessHandle::isAlive)
                                .orElse(false),
                        name);
            }
            if (process.path("urls").has("health")) {
                assertTrue(
                        new OrdersClient(process.path("urls")
                                        .path("health")
                                        .asText()
                                        .replace("/health", ""))
                                .text("/health")
                                .contains("UP"),
                        name + " answers where stack.json says");
            }
        }
        JsonNode api = byRole.get("api").get(0);
        assertEquals(apiUrl, api.path("urls").path("api").asText());
        assertTrue(Files.exists(Path.of(api.path("log").asText())), "the API's log");
        JsonNode temporal = byRole.get("temporal").get(0);
        assertEquals(
                "127.0.0.1:" + temporalPort,
                temporal.path("urls").path("frontend").asText());
        assertEquals(
                "http://127.0.0.1:" + temporalUiPort,
                temporal.path("urls").path("webUi").asText());
        assertEquals(
                "http://127.0.0.1:" + zipkinPort + "/zipkin/",
                byRole.get("traces").get(0).path("urls").path("webUi").asText());
    }

    /**
     * {@code --tracing}: the demo prints each order's trace in Zipkin, and there it is, with spans from the API, the
     * orders worker that ran the saga, and the worker of every service the order reached; its page answers.
     */
    @Test
    @Order(1)
    void eachDemoOrdersTraceIsInTheViewerFromTheApiThroughEveryWorkerItReached() {
        String api = "order-saga-api";
        Map<String, Set<SagaService>> reached = Map.of(
                "completed", EnumSet.allOf(SagaService.class),
                "out of stock", EnumSet.of(SagaService.ORDERS, SagaService.INVENTORY),
                "payment declined", EnumSet.of(SagaService.ORDERS, SagaService.INVENTORY, SagaService.PAYMENT),
                "address unserviceable", EnumSet.allOf(SagaService.class),
                "cancelled", EnumSet.of(SagaService.ORDERS));
        assertTrue(started.contains("Traces       http://127.0.0.1:" + zipkinPort + "/zipkin/"), started);
        reached.forEach((outcome, services) -> {
            Matcher line = Pattern.compile("trace " + outcome + " +(http://127\\.0\\.0\\.1:" + zipkinPort
                            + "/zipkin/traces/(\\p{XDigit}{32}))\n")
                    .matcher(started);
            assertTrue(line.find(), outcome + "'s trace in\n" + started);
            Set<String> expected = new TreeSet<>(Set.of(api));
            services.forEach(service -> expected.add("order-saga-worker-" + service.id()));
            OrdersClient zipkin = new OrdersClient("http://127.0.0.1:" + zipkinPort);
            Await.until(
                    outcome + "'s trace has spans of " + expected,
                    LIMIT,
                    () -> traceServices(zipkin, line.group(2)).containsAll(expected));
            assertTrue(zipkin.text(line.group(1).replace("http://127.0.0.1:" + zipkinPort, ""))
                    .contains("Zipkin"));
        });
    }

    /** The completed demo order's trace page, in headless Chromium: the spans of the API and of every worker. */
    @Test
    @Order(2)
    void theViewerShowsTheCompletedOrdersTraceThroughEveryService() throws Exception {
        Matcher line = Pattern.compile("trace completed +(http://\\S+)\n").matcher(started);
        assertTrue(line.find(), started);
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get(line.group(1));
            String page = awaitText(browser, "order-saga-worker-shipping");
            for (SagaService service : SagaService.values()) {
                assertTrue(page.contains("order-saga-worker-" + service.id()), service + " in\n" + page);
            }
            assertTrue(page.contains("order-saga-api"), page);
            screenshot(
                    browser,
                    Files.createDirectories(Path.of("target", "web-ui")).resolve("zipkin-completed-trace.png"));
        } finally {
            browser.quit();
        }
    }

    /** The services with spans in the trace, as Zipkin has it so far (a trace it has no span of yet is a 404). */
    private static Set<String> traceServices(OrdersClient zipkin, String traceId) {
        Set<String> names = new TreeSet<>();
        try {
            zipkin.get("/api/v2/trace/" + traceId)
                    .forEach(span -> names.add(
                            span.path("localEndpoint").path("serviceName").asText()));
        } catch (IllegalStateException notYet) {
            // no span of it yet
        }
        return names;
    }

    /** The summary's token instructions work: scripts/token.sh signs with the stack's key; no token, no answer. */
    @Test
    @Order(1)
    void scriptsTokenShMintsTokensTheApiAcceptsAndNothingAnswersWithoutOne() throws Exception {
        assertTrue(
                started.contains(
                        directory.resolve("tokens").resolve("cust-ok.jwt").toString()),
                started);
        assertTrue(started.contains("scripts/token.sh SUBJECT [--operator]"), started);
        OrdersClient minted = new OrdersClient(apiUrl, mint("cust-poor"));
        assertEquals(
                "cust-poor",
                minted.get("/customers/cust-poor").path("customerId").asText());
        assertEquals(
                403,
                send(HttpRequest.newBuilder(URI.create(apiUrl + "/inventory/sku-100"))
                                .header("Authorization", "Bearer " + mint("cust-poor")))
                        .statusCode());
        assertEquals(
                "sku-100",
                new OrdersClient(apiUrl, mint("ops-2", "--operator"))
                        .get("/inventory/sku-100")
                        .path("sku")
                        .asText());

        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(apiUrl + "/orders")));
        assertEquals(401, anonymous.statusCode());
        assertEquals(
                "Bearer realm=\"order-saga\"",
                anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("{\"status\":\"UP\"}", new OrdersClient(apiUrl).text("/health"));
        assertTrue(operator.text("/health").contains("\"details\""), "an operator sees each indicator");
    }

    /** The README's "by hand" commands, run by bash and curl with this stack's port and directory put in. */
    @Test
    @Order(1)
    void theReadmesCommandsWorkAsWritten() throws Exception {
        Path root = Path.of(System.getProperty("docker.dir")).getParent();
        Matcher block = Pattern.compile("The same by hand .*?```sh\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(root.resolve("README.md")));
        assertTrue(block.find(), "README.md has the commands");
        String script = block.group(1)
                .replace("localhost:8080", "127.0.0.1:" + apiPort)
                .replace(".local-stack/", directory + "/")
                .replace("<orderId>", demoOrder("completed"));
        Process bash = new ProcessBuilder("bash", "-c", script)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(1, TimeUnit.MINUTES), "the commands finished");
        List<String> placed = Pattern.compile("\\{\"orderId\":\"([^\"]+)\",\"status\":\"PROCESSING\"}")
                .matcher(output)
                .results()
                .map(order -> order.group(1))
                .toList();
        assertEquals(4, placed.size(), output);
        for (String answer : List.of(
                "\"steps\"",
                "HTTP/1.1 409",
                "\"orders\":[",
                "\"balance\"",
                "\"available\"",
                "{\"status\":\"UP\"}",
                "temporal_",
                "HTTP/1.1 401")) {
            assertTrue(output.contains(answer), answer + " in\n" + output);
        }
        assertEquals(
                1,
                Pattern.compile("\"status\":40[13]").matcher(output).results().count(),
                "only the last call is refused:\n" + output);
        // the third order is cust-poor's, declined, which the visibility test finds; none is left in flight
        readmeDeclined = placed.get(2);
        awaitFinal(placed);
    }

    private void awaitFinal(Collection<String> orderIds) {
        for (String orderId : orderIds) {
            Await.until(
                    orderId + " final",
                    LIMIT,
                    () -> OrderStatus.valueOf(operator.get("/orders/" + orderId)
                                    .path("status")
                                    .asText())
                            .isTerminal());
        }
    }

    /** {@code scripts/token.sh SUBJECT ARGUMENTS... --dir=<the stack's>}, as a user runs it. */
    private String mint(String subject, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("docker.dir"), "..", "scripts", "token.sh")
                        .normalize()
                        .toString(),
                subject,
                "--dir=" + directory));
        command.addAll(List.of(arguments));
        Process mint = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String token = new String(mint.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(mint.waitFor(1, TimeUnit.MINUTES), "token.sh finished");
        assertEquals(0, mint.exitValue(), "token.sh " + subject);
        return token;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient()
                .send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(2)
    void ordersOfEveryOutcomeEndAsDocumentedWithStockBalancesAndEventsToMatch() throws Exception {
        JsonNode stockBefore = operator.get("/inventory/sku-100");
        BigDecimal balanceBefore =
                okCustomer.get("/customers/cust-ok").path("balance").decimalValue();
        outcomes.put(okCustomer.place("cust-ok", "sku-100", 3, "GB"), "completed");
        outcomes.put(okCustomer.place("cust-ok", "sku-out", 1, "GB"), "out of stock / unknown sku");
        outcomes.put(poorCustomer.place("cust-poor", "sku-200", 1, "GB"), "payment declined");
        outcomes.put(okCustomer.place("cust-ok", "sku-100", 1, "XX"), "address unserviceable");

        awaitFinal(outcomes.keySet());
        outcomes.forEach((orderId, outcome) -> assertEquals(
                outcome.equals("completed") ? "COMPLETED" : "COMPENSATED",
                operator.get("/orders/" + orderId).path("status").asText(),
                outcome));
        JsonNode stockAfter = operator.get("/inventory/sku-100");
        assertEquals(
                stockBefore.path("available").asInt() - 3,
                stockAfter.path("available").asInt(),
                "only the completed order keeps its stock");
        assertEquals(
                stockBefore.path("reserved").asInt() + 3,
                stockAfter.path("reserved").asInt());
        assertEquals(
                0,
                balanceBefore
                        .subtract(new BigDecimal("30.00"))
                        .compareTo(okCustomer
                                .get("/customers/cust-ok")
                                .path("balance")
                                .decimalValue()),
                "charged only the completed");
        assertEquals(
                0,
                new BigDecimal("1.00")
                        .compareTo(poorCustomer
                                .get("/customers/cust-poor")
                                .path("balance")
                                .decimalValue()));

        Map<String, Map<String, List<String>>> expected = EventSequences.documented(Path.of("..", "docs", "events.md"));
        int expectedEvents = outcomes.values().stream()
                .mapToInt(outcome -> expected.get(outcome).values().stream()
                        .mapToInt(List::size)
                        .sum())
                .sum();
        PublishedEvents published =
                PublishedEvents.read("127.0.0.1:" + kafkaPort, outcomes.keySet(), expectedEvents, LIMIT);
        outcomes.forEach((orderId, outcome) ->
                assertEquals(expected.get(outcome), published.of(orderId), outcome + " as docs/events.md says"));
    }

    /** Visibility, which only a real Temporal server has: the query an operator types in the Web UI. */
    @Test
    @Order(3)
    @Tag("real-temporal")
    void theRealServerFindsTheCompensatedOrdersOfACustomerBySearchAttributes() {
        RealTemporal.require(!started.contains("in-memory test server"));
        Set<String> expected = new TreeSet<>();
        expected.add("order-" + demoOrder("payment declined"));
        expected.add("order-" + readmeDeclined);
        outcomes.forEach((orderId, outcome) -> {
            if (outcome.equals("payment declined")) {
                expected.add("order-" + orderId);
            }
        });
        WorkflowServiceStubs stubs = temporalStubs();
        try {
            Set<String> found = new TreeSet<>();
            Await.until("visibility catches up", LIMIT, () -> {
                found.clear();
                stubs.blockingStub()
                        .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                                .setNamespace("default")
                                .setQuery("OrderStatus=\"COMPENSATED\" AND CustomerId=\"cust-poor\"")
                                .build())
                        .getExecutionsList()
                        .forEach(execution -> found.add(execution.getExecution().getWorkflowId()));
                return found.equals(expected);
            });
            assertEquals(expected, found);
        } finally {
            stubs.shutdown();
        }
    }

    /** What an operator does in the Web UI, in a real browser; screenshots in target/web-ui/. */
    @Test
    @Order(4)
    @Tag("real-temporal")
    void theWebUiShowsACompensatedSagaWithItsStatusAndCompensationsAndListsSagasByStatus() throws Exception {
        RealTemporal.require(!started.contains("in-memory test server"));
        String declined = demoOrder("payment declined");
        String completed = demoOrder("completed");
        String runId;
        WorkflowServiceStubs stubs = temporalStubs();
        try {
            runId = stubs.blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId("order-" + declined))
                            .build())
                    .getWorkflowExecutionInfo()
                    .getExecution()
                    .getRunId();
        } finally {
            stubs.shutdown();
        }
        Path screenshots = Files.createDirectories(Path.of("target", "web-ui"));
        String ui = "http://127.0.0.1:" + temporalUiPort + "/namespaces/default/workflows";
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get(ui + "/order-" + declined + "/" + runId + "/history");
            String history = awaitText(browser, "Release inventory for order " + declined);
            assertTrue(history.contains("order-" + declined), "the workflow id");
            for (String compensation : List.of("InventoryRelease", "OrderRecordCompensated")) {
                assertTrue(history.contains(compensation), compensation + " in the history");
            }
            screenshot(browser, screenshots.resolve("compensated-history.png"));

            browser.get(ui + "/order-" + declined + "/" + runId + "/search-attributes");
            String attributes = awaitText(browser, "OrderStatus");
            assertTrue(
                    Pattern.compile("\"OrderStatus\"\\s*:\\s*\"COMPENSATED\"")
                            .matcher(attributes)
                            .find(),
                    attributes);
            screenshot(browser, screenshots.resolve("compensated-search-attributes.png"));

            browser.get(ui + "?query=" + URLEncoder.encode("OrderStatus=\"COMPENSATED\"", StandardCharsets.UTF_8));
            String list = awaitText(browser, "order-" + declined);
            assertFalse(list.contains("order-" + completed), "a completed saga is not in the list");
            screenshot(browser, screenshots.resolve("compensated-list.png"));
        } finally {
            browser.quit();
        }
    }

    /**
     * Temporal holds a saga's input and result encrypted: read straight from the server, the history has no customer
     * name. The Web UI, given the API's codec server, shows them decrypted.
     */
    @Test
    @Order(4)
    @Tag("real-temporal")
    void temporalHoldsPayloadsEncryptedAndTheWebUiShowsThemThroughTheCodecServer() throws Exception {
        RealTemporal.require(!started.contains("in-memory test server"));
        String completed = demoOrder("completed");
        History history;
        String runId;
        WorkflowServiceStubs stubs = temporalStubs();
        try {
            GetWorkflowExecutionHistoryResponse response = stubs.blockingStub()
                    .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                            .setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId("order-" + completed))
                            .build());
            history = response.getHistory();
            runId = history.getEvents(0)
                    .getWorkflowExecutionStartedEventAttributes()
                    .getOriginalExecutionRunId();
        } finally {
            stubs.shutdown();
        }
        Payload input = history.getEvents(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getInput()
                .getPayloads(0);
        assertEquals("binary/encrypted", input.getMetadataOrThrow("encoding").toStringUtf8(), "the input is encrypted");
        assertTrue(input.containsMetadata("encryption-key-id"), "with its key's id beside it");
        Payload result = history.getEvents(history.getEventsCount() - 1)
                .getWorkflowExecutionCompletedEventAttributes()
                .getResult()
                .getPayloads(0);
        assertEquals("binary/encrypted", result.getMetadataOrThrow("encoding").toStringUtf8(), "the result too");
        String raw = history.toByteString().toString(StandardCharsets.ISO_8859_1);
        for (String personal : List.of(CUSTOMER_NAME, "St James")) {
            assertFalse(raw.contains(personal), personal + " is nowhere in the history Temporal holds");
        }

        // Temporal's own CLI, as the README has an operator run it
        ToolRun shown = ToolRun.of(
                List.of(
                        LocalTemporal.findCli().orElseThrow().toString(),
                        "workflow",
                        "show",
                        "--address",
                        "127.0.0.1:" + temporalPort,
                        "--workflow-id",
                        "order-" + completed,
                        "--output",
                        "json",
                        "--codec-endpoint",
                        "http://127.0.0.1:" + apiPort + "/codec",
                        "--codec-auth",
                        "Bearer " + token("operator")),
                LIMIT,
                directory.resolve("logs").resolve("temporal-cli.log"));
        assertEquals(0, shown.exitCode(), shown.output());
        assertTrue(
                new ObjectMapper()
                        .readTree(shown.output()).findValues("data").stream()
                                .filter(data -> data.asText().matches("[A-Za-z0-9+/]+=*"))
                                .map(data ->
                                        new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8))
                                .anyMatch(payload -> payload.contains(CUSTOMER_NAME)),
                "the CLI decodes the input through the codec server:\n" + shown.output());

        Path screenshots = Files.createDirectories(Path.of("target", "web-ui"));
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get("http://127.0.0.1:" + temporalUiPort + "/namespaces/default/workflows/order-" + completed + "/"
                    + runId + "/history");
            String page = awaitText(browser, CUSTOMER_NAME);
            assertTrue(page.contains("St James"), "the input's address, decrypted");
            screenshot(browser, screenshots.resolve("decrypted-input.png"));
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(5)
    void ctrlCStopsEveryProcessItStarted() throws Exception {
        stack.destroy();
        assertTrue(stack.waitFor(2, TimeUnit.MINUTES), "the launcher stops within its processes' grace");
        String log = Files.readString(output);
        List<Long> pids = new ArrayList<>();
        Matcher pid = Pattern.compile("pid=(\\d+)").matcher(log);
        while (pid.find()) {
            pids.add(Long.parseLong(pid.group(1)));
        }
        assertTrue(pids.size() >= 6, "Kafka, four workers, the API (and Temporal) reported:\n" + log);
        new ObjectMapper()
                .readTree(directory.resolve("stack.json").toFile())
                .path("processes")
                .forEach(process -> pids.add(process.path("pid").asLong()));
        for (long child : pids) {
            // PostgreSQL's pg_ctl returns once the postmaster removed its pid file, moments before it exits
            Optional<ProcessHandle> process = ProcessHandle.of(child);
            if (process.isPresent()) {
                try {
                    process.get().onExit().get(10, TimeUnit.SECONDS);
                } catch (TimeoutException stillRunning) {
                    fail("pid " + child + " left: "
                            + process.get().info().commandLine().orElse("?"));
                }
            }
        }
        assertFalse(Ports.accepts(postgresPort), "PostgreSQL stopped");
        assertFalse(Ports.accepts(temporalPort), "Temporal stopped");
        assertFalse(Ports.accepts(temporalUiPort), "its Web UI stopped");
    }

    /** Temporal's gRPC service as any client reaches it, without the product's codec. */
    private WorkflowServiceStubs temporalStubs() {
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + temporalPort)
                .build());
    }

    private String demoOrder(String outcome) {
        Matcher line = Pattern.compile(outcome + " +(\\S+) ").matcher(started);
        assertTrue(line.find(), outcome + " in the demo output");
        return line.group(1);
    }

    private static String awaitText(ChromeDriver browser, String text) {
        return new WebDriverWait(browser, Duration.ofSeconds(60)).until(page -> {
            String body = page.findElement(By.tagName("body")).getText();
            return body.contains(text) ? body : null;
        });
    }

    private static void screenshot(ChromeDriver browser, Path file) throws IOException {
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }

    private String awaitOutput(String line) throws Exception {
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
                + Files.readString(output) + logTails());
    }

    /** The end of each process's log: all that CI shows of a stack that hung. */
    private String logTails() throws IOException {
        StringBuilder tails = new StringBuilder();
        try (var logs = Files.list(directory.resolve("logs"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                tails.append("\n--- ").append(log.getFileName()).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(logLine -> tails.append(logLine).append('\n'));
            }
        }
        return tails.toString();
    }
}
