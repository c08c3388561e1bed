package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.Await;
import org.ordersaga.api.OtlpReceiver.ReceivedSpan;
import org.ordersaga.local.LocalPostgres;
import org.ordersaga.local.LocalStack;
import org.ordersaga.local.LocalTemporal;
import org.ordersaga.local.Ports;
import org.ordersaga.saga.SagaService;

/**
 * One order placed through the API is one trace, which every process exports over OTLP to a receiver on loopback,
 * configured only by the standard {@code OTEL_*} variables: the API's request, the saga's start, the workflow and its
 * activities' scheduling on the orders worker, each step's activity on its service's worker, and the order view
 * applying each of the order's events, each span the child of the one that caused it.
 */
class TracingIT {

    private static final String DATABASE = "ordersaga";
    private static final String API = "order-saga-api";

    private final Started launched = new Started();

    @AfterEach
    void stopEverything() throws Exception {
        launched.close();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void anOrderIsOneTraceFromTheApiThroughEveryWorkerToTheOrderView() throws Exception {
        OtlpReceiver receiver = OtlpReceiver.start();
        launched.other(receiver);
        Path directory = LocalStack.freshDirectory(Path.of("target", "tracing").toAbsolutePath());
        LocalPostgres postgres = LocalPostgres.start(Ports.free(), directory.resolve("postgres"));
        launched.other(postgres);
        postgres.createDatabase(DATABASE);
        ProcessEngines engines =
                ProcessEngines.start(new LocalTemporal.Choice.InMemory(), postgres, DATABASE, directory, launched);
        engines.processes()
                .withSettings(Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                        "OTEL_BSP_SCHEDULE_DELAY", "200"));
        String orderId = engines.customer(engines.startWorkersAndApi(launched), "cust-ok")
                .place("cust-ok", "sku-100", 1, "GB");

        Await.until(
                "order " + orderId + "'s trace holds the order view's five events, the workflow's end and every"
                        + " span's parent",
                Duration.ofMinutes(2),
                () -> {
                    // a relay may publish an event twice, and the view then spans both records; each process
                    // exports its spans on its own, so a child may arrive before its parent
                    List<ReceivedSpan> trace = trace(receiver.spans());
                    return named(trace, "process ").size() >= 5
                            && !named(trace, "RunWorkflow:").isEmpty()
                            && missingParents(trace).isEmpty();
                });
        List<ReceivedSpan> trace = trace(receiver.spans());
        Map<String, ReceivedSpan> byId = trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, span -> span));

        ReceivedSpan request = only(trace, span -> span.parentId().isEmpty());
        assertEquals(API + " SERVER", request.service() + " " + request.kind(), "the root is the API's request");
        assertTrue(request.name().contains("/orders"), request.name());
        assertEquals(List.of(), missingParents(trace), "every other span's parent is in the trace");
        ReceivedSpan start = only(named(trace, "StartWorkflow:OrderWorkflow"), span -> true);
        assertEquals(List.of(API, request.spanId()), List.of(start.service(), start.parentId()));
        ReceivedSpan workflow = only(named(trace, "RunWorkflow:OrderWorkflow"), span -> true);
        assertEquals(
                List.of(worker(SagaService.ORDERS), start.spanId()), List.of(workflow.service(), workflow.parentId()));
        for (SagaService service : SagaService.values()) {
            List<ReceivedSpan> activities = named(trace, "RunActivity:").stream()
                    .filter(span -> span.service().equals(worker(service)))
                    .toList();
            assertTrue(!activities.isEmpty(), service + "'s worker ran the order's activities");
            for (ReceivedSpan activity : activities) {
                ReceivedSpan scheduled = byId.get(activity.parentId());
                assertEquals(
                        List.of(worker(SagaService.ORDERS), "StartActivity:", workflow.spanId()),
                        List.of(scheduled.service(), scheduled.name().substring(0, 14), scheduled.parentId()),
                        activity.name() + " was scheduled by the workflow");
            }
        }
        for (ReceivedSpan applied : named(trace, "process ")) {
            ReceivedSpan wrote = byId.get(applied.parentId());
            // process <prefix>.<service>.events
            String service = applied.name().replaceFirst(".*\\.(\\w+)\\.events$", "$1");
            assertEquals(
                    List.of(API, "CONSUMER", worker(SagaService.named(service)), "RunActivity:"),
                    List.of(
                            applied.service(),
                            applied.kind(),
                            wrote.service(),
                            wrote.name().substring(0, 12)),
                    applied.name() + " continues the activity that wrote its event");
        }
        assertEquals(
                Set.of(
                        API,
                        worker(SagaService.ORDERS),
                        worker(SagaService.INVENTORY),
                        worker(SagaService.PAYMENT),
                        worker(SagaService.SHIPPING)),
                trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet()));
        System.out.printf(
                "TracingIT: order %s is trace %s, %d spans:%n%s%n",
                orderId,
                request.traceId(),
                trace.size(),
                trace.stream()
                        .map(span -> "  " + span.service() + " " + span.kind() + " " + span.name())
                        .sorted()
                        .collect(Collectors.joining("\n")));
    }

    private static String worker(SagaService service) {
        return "order-saga-worker-" + service.id();
    }

    /** The spans whose parent is not in the trace: none once the trace is whole, but for the root's. */
    private static List<ReceivedSpan> missingParents(List<ReceivedSpan> trace) {
        Set<String> ids = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        return trace.stream()
                .filter(span -> !span.parentId().isEmpty() && !ids.contains(span.parentId()))
                .toList();
    }

    /** The spans of the one trace in which a saga was started. */
    private static List<ReceivedSpan> trace(List<ReceivedSpan> spans) {
        List<String> traces = named(spans, "StartWorkflow:").stream()
                .map(ReceivedSpan::traceId)
                .distinct()
                .toList();
        if (traces.size() != 1) {
            return List.of();
        }
        return spans.stream()
                .filter(span -> span.traceId().equals(traces.get(0)))
                .toList();
    }

    private static List<ReceivedSpan> named(List<ReceivedSpan> spans, String prefix) {
        return spans.stream().filter(span -> span.name().startsWith(prefix)).toList();
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> which) {
        List<ReceivedSpan> found = spans.stream().filter(which).toList();
        assertEquals(1, found.size(), "one of " + Arrays.toString(found.toArray()));
        return found.get(0);
    }
}
