package org.ordersaga.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ordersaga.temporal.WorkerTuning;

/** The figures of one run, each beside its limit, as Markdown for people and JSON for tools. */
final class Report {

    record Step(OpenLoop.Result result, Map<String, Resources.Usage> resources) {}

    record ApiComparison(
            ClosedLoop.Result viaApi,
            ClosedLoop.Result direct,
            double throughputToDirect,
            double p50ToDirect,
            Map<String, Resources.Usage> resources) {}

    record RelayRun(RelayBench.Result result, Map<String, Resources.Usage> resources) {}

    record Machine(String cpu, int cores, long memoryGiB, String os, String java, String date) {}

    private final BenchOptions options;
    private final Machine machine = machine();
    private final List<Step> saga = new ArrayList<>();
    private final List<Step> ceiling = new ArrayList<>();
    private String temporal;
    private ApiComparison api;
    private RelayRun relay;

    Report(BenchOptions options) {
        this.options = options;
    }

    void temporal(String description) {
        temporal = description;
    }

    String temporal() {
        return temporal;
    }

    void saga(OpenLoop.Result result, Map<String, Resources.Usage> resources) {
        saga.add(new Step(result, resources));
    }

    void ceiling(OpenLoop.Result result, Map<String, Resources.Usage> resources) {
        ceiling.add(new Step(result, resources));
    }

    void api(ClosedLoop.Result viaApi, ClosedLoop.Result direct, Map<String, Resources.Usage> resources) {
        api = new ApiComparison(
                viaApi,
                direct,
                ratio(viaApi.perSecond(), direct.perSecond()),
                ratio(viaApi.latency().p50(), direct.latency().p50()),
                resources);
    }

    void relay(RelayBench.Result result, Map<String, Resources.Usage> resources) {
        relay = new RelayRun(result, resources);
    }

    /** A one-line summary of a rate step, for the terminal. */
    static String line(String scenario, OpenLoop.Result result) {
        return String.format(
                "%-8s %6.1f/s offered: %6.1f/s completed, end to end p50 %.0f p95 %.0f p99 %.0f ms,"
                        + " %d unfinished%s",
                scenario,
                result.rate(),
                result.completedPerSecond(),
                result.endToEnd().p50(),
                result.endToEnd().p95(),
                result.endToEnd().p99(),
                result.unfinished(),
                result.keptUp() ? "" : "  <- did not keep up");
    }

    /** Writes report.json and report.md into {@code directory}; returns it. */
    Path write(Path directory) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("temporal", temporal);
        json.put(
                "settings",
                Map.of(
                        "warmupSeconds",
                        options.warmup().toSeconds(),
                        "windowSeconds",
                        options.duration().toSeconds(),
                        "rates",
                        options.rates(),
                        "relayBatchSize",
                        options.relayBatchSize()));
        json.put("tuning", options.tuning());
        json.put("saga", saga);
        json.put("ceiling", ceiling);
        json.put("sagaMaxPerSecond", max(saga));
        json.put("ceilingMaxPerSecond", max(ceiling));
        json.put("sagaToCeiling", ratio(max(saga), max(ceiling)));
        json.put("relay", relay);
        json.put("api", api);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(directory.resolve("report.json").toFile(), json);
        Files.writeString(directory.resolve("report.md"), markdown());
        return directory;
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("# Order saga benchmark\n\n");
        md.append(String.format(
                "%s on %s (%d cores, %d GiB), %s, Java %s. Temporal: %s.%n%n",
                machine.date(),
                machine.cpu(),
                machine.cores(),
                machine.memoryGiB(),
                machine.os(),
                machine.java(),
                temporal));
        WorkerTuning t = options.tuning();
        md.append(String.format(
                "Each rate: %d s warm-up, %d s measured. Worker tuning: %d workflow pollers, %d"
                        + " activity pollers, %d concurrent workflow tasks, %d concurrent activities, workflow cache %d;"
                        + " relay batch %d.%n%n",
                options.warmup().toSeconds(),
                options.duration().toSeconds(),
                t.workflowPollers(),
                t.activityPollers(),
                t.maxConcurrentWorkflowTasks(),
                t.maxConcurrentActivities(),
                t.workflowCacheSize(),
                options.relayBatchSize()));

        md.append("## Saga throughput (through the API) and the orchestration ceiling (no-op activities)\n\n");
        md.append(String.format(
                "The saga's best: **%.1f completed/s**, %.2f of the ceiling's %.1f/s on the same"
                        + " Temporal with the same worker tuning.%n%n",
                max(saga), ratio(max(saga), max(ceiling)), max(ceiling)));
        md.append("| scenario | offered /s | completed /s | p50 ms | p95 ms | p99 ms | unfinished | kept up |"
                + " CPU s, peak RSS MB |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Step step : saga) {
            md.append(row("saga", step));
        }
        for (Step step : ceiling) {
            md.append(row("ceiling", step));
        }
        md.append("\nSaga latency: POST accepted to `OrderCompleted` read from Kafka. Ceiling latency: workflow"
                + " started to its result.\n\n");

        if (relay != null) {
            RelayBench.Result r = relay.result();
            md.append("## Outbox relay and the raw producer\n\n");
            md.append(String.format(
                    "%d events, one per transaction from 4 writers. Relay: **%.1f events/s**,"
                            + " commit to marked-published p50 %.1f ms, p99 %.1f ms. Raw producer, the same records and"
                            + " settings: %.1f events/s, send to ack p50 %.1f ms, p99 %.1f ms. Relay/raw throughput:"
                            + " **%.3f**. Process: %s.%n%n",
                    r.events(),
                    r.relayPerSecond(),
                    r.relayLatency().p50(),
                    r.relayLatency().p99(),
                    r.rawPerSecond(),
                    r.rawLatency().p50(),
                    r.rawLatency().p99(),
                    r.throughputToRaw(),
                    usage(relay.resources())));
        }
        if (api != null) {
            ClosedLoop.Result via = api.viaApi();
            ClosedLoop.Result direct = api.direct();
            md.append("## API overhead\n\n");
            md.append(String.format(
                    "%d requests from %d concurrent clients, after a warm-up. `POST /orders` accepted: %.1f/s, p50 %.1f"
                            + " ms, p95 %.1f, p99 %.1f. The same workflow started directly with the Temporal client: %.1f/s,"
                            + " p50 %.1f ms, p95 %.1f, p99 %.1f. API/direct: throughput **%.2f**, p50 latency **%.2f**."
                            + " During the API run: %s.%n",
                    via.requests(),
                    via.clients(),
                    via.perSecond(),
                    via.latency().p50(),
                    via.latency().p95(),
                    via.latency().p99(),
                    direct.perSecond(),
                    direct.latency().p50(),
                    direct.latency().p95(),
                    direct.latency().p99(),
                    api.throughputToDirect(),
                    api.p50ToDirect(),
                    usage(api.resources())));
        }
        return md.toString();
    }

    private static String row(String scenario, Step step) {
        OpenLoop.Result r = step.result();
        return String.format(
                "| %s | %.1f | %.1f | %.0f | %.0f | %.0f | %d | %s | %s |%n",
                scenario,
                r.rate(),
                r.completedPerSecond(),
                r.endToEnd().p50(),
                r.endToEnd().p95(),
                r.endToEnd().p99(),
                r.unfinished(),
                r.keptUp() ? "yes" : "no",
                usage(step.resources()));
    }

    private static String usage(Map<String, Resources.Usage> resources) {
        List<String> parts = new ArrayList<>();
        resources.forEach((name, usage) ->
                parts.add(String.format("%s %.1f s, %d MB", name, usage.cpuSeconds(), usage.peakRssMb())));
        return String.join("; ", parts);
    }

    private static double max(List<Step> steps) {
        return steps.stream()
                .mapToDouble(step -> step.result().completedPerSecond())
                .max()
                .orElse(0);
    }

    private static double ratio(double part, double whole) {
        return whole == 0 ? 0 : Math.round(part / whole * 1000) / 1000.0;
    }

    private static Machine machine() {
        String cpu = "unknown CPU";
        long memoryKb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse(cpu);
            memoryKb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(line -> line.startsWith("MemTotal:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst()
                    .orElse(0);
        } catch (IOException notLinux) {
            // the machine stays described by what the JVM knows
        }
        return new Machine(
                cpu,
                Runtime.getRuntime().availableProcessors(),
                Math.round(memoryKb / 1048576.0),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.version"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }
}
