package org.ordersaga.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.StepState;

/**
 * {@code --demo}: one order of each saga outcome, placed over HTTP by its customer like a client would, and their
 * final states as an operator sees them.
 */
final class Demo {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    private final String apiUrl;
    private final DemoTokens tokens;
    private final PrintStream out;
    private final OrdersClient okCustomer;
    private final OrdersClient poorCustomer;
    private final OrdersClient operator;
    private final Optional<LocalZipkin> zipkin;
    private final Map<String, String> placed = new LinkedHashMap<>();
    private final Map<String, String> traces = new LinkedHashMap<>();

    /** @param zipkin where the processes send their spans, if anywhere */
    Demo(String apiUrl, DemoTokens tokens, PrintStream out, Optional<LocalZipkin> zipkin) {
        this.apiUrl = apiUrl;
        this.zipkin = zipkin;
        this.tokens = tokens;
        this.out = out;
        this.okCustomer = new OrdersClient(apiUrl, tokens.token(DemoTokens.OK_CUSTOMER));
        this.poorCustomer = new OrdersClient(apiUrl, tokens.token(DemoTokens.POOR_CUSTOMER));
        this.operator = new OrdersClient(apiUrl, tokens.token(DemoTokens.OPERATOR));
    }

    void run(Optional<String> temporalUi) {
        out.println();
        out.println("--demo: placing one order of each outcome ...");
        place("completed", okCustomer, "cust-ok", "sku-100", 2, "GB");
        place("out of stock", okCustomer, "cust-ok", "sku-out", 1, "GB");
        place("payment declined", poorCustomer, "cust-poor", "sku-200", 1, "GB");
        place("address unserviceable", okCustomer, "cust-ok", "sku-100", 1, "XX");
        place("cancelled", okCustomer, "cust-ok", "sku-100", 1, "GB");
        String cancelled = placed.get("cancelled");
        if (!okCustomer.cancel(cancelled, "changed my mind")) {
            out.println("  (the cancel came too late: the shipment was already being created)");
        }

        out.printf("  %-22s %-38s %-12s %-22s %s%n", "outcome", "order id", "status", "failure", "events");
        placed.forEach((outcome, orderId) -> {
            JsonNode order = awaitFinal(orderId);
            out.printf(
                    "  %-22s %-38s %-12s %-22s %s%n",
                    outcome,
                    orderId,
                    order.path("status").asText(),
                    order.path("failure").path("type").asText("-"),
                    eventTypes(order));
            if (!isFinal(order)) {
                out.printf(
                        "  %-22s not final after %s: %d of %d events in the order view%n",
                        "", LIMIT, order.path("events").size(), publishedEvents(order));
            }
        });
        out.println("  sku-100 stock:    " + operator.get("/inventory/sku-100"));
        out.println("  cust-ok account:  " + okCustomer.get("/customers/cust-ok"));
        out.println("  follow one:       curl -H \"Authorization: Bearer $(cat " + tokens.file(DemoTokens.OK_CUSTOMER)
                + ")\" " + apiUrl + "/orders/" + placed.get("completed"));
        temporalUi.ifPresent(ui -> out.println("  compensated sagas in the Web UI: " + ui
                + "/namespaces/default/workflows?query="
                + URLEncoder.encode("OrderStatus=\"COMPENSATED\"", StandardCharsets.UTF_8)));
        if (!traces.isEmpty()) {
            out.println("  each order's trace, from the API through the workers to the order view (Zipkin):");
            traces.forEach((outcome, url) -> out.printf("  trace %-22s %s%n", outcome, url));
        }
        out.println();
    }

    /** Places the order of an outcome; in a trace of its own when there is a trace viewer. */
    private void place(
            String outcome, OrdersClient client, String customerId, String sku, int quantity, String country) {
        if (zipkin.isEmpty()) {
            placed.put(outcome, client.place(customerId, sku, quantity, country));
            return;
        }
        String traceId = UUID.randomUUID().toString().replace("-", "");
        placed.put(outcome, client.placeInTrace(customerId, sku, quantity, country, traceId));
        traces.put(outcome, zipkin.get().traceUrl(traceId));
    }

    /** The order once its saga finished and the order view has every event it published. */
    private JsonNode awaitFinal(String orderId) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode order = operator.get("/orders/" + orderId);
        while (System.nanoTime() < deadline && !isFinal(order)) {
            LocalStack.pause(Duration.ofMillis(300));
            order = operator.get("/orders/" + orderId);
        }
        return order;
    }

    /**
     * The saga ended and the order view holds every event it published. The view reads each service's topic on its
     * own, so a service's event may arrive after the order's last one: the terminal status alone is not enough.
     */
    private static boolean isFinal(JsonNode order) {
        return order.hasNonNull("status")
                && OrderStatus.valueOf(order.path("status").asText()).isTerminal()
                && order.path("events").size() >= publishedEvents(order);
    }

    /** One event per step done or refused, two per step undone (recording the order included). */
    private static int publishedEvents(JsonNode order) {
        int events = 0;
        for (JsonNode step : order.path("steps")) {
            events += switch (StepState.valueOf(step.path("state").asText())) {
                case PENDING, SKIPPED -> 0;
                // the demo's failures are refusals (out of stock, declined, unserviceable), which publish an event
                case DONE, FAILED -> 1;
                case COMPENSATED -> 2;
            };
        }
        return events;
    }

    private static String eventTypes(JsonNode order) {
        StringBuilder types = new StringBuilder();
        order.path("events")
                .forEach(event -> types.append(types.isEmpty() ? "" : " ")
                        .append(event.path("type").asText()));
        return types.toString();
    }
}
