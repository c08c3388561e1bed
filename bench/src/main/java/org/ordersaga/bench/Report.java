package org.ordersaga.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ordersaga.temporal.WorkerTuning;

/** The figures of one run, each beside its limit, as Markdown for people and JSON for tools. */
final class Report {

    private static final int TOP_FRAMES = 8;

    /** One rate of a ladder: what was offered and completed, and what the whole system spent on it. */
    record Step(OpenLoop.Result result, SystemCost.Spent cost) {

        /** CPU milliseconds per completed saga, summed over every process. */
        @JsonProperty
        double cpuMsPerSaga() {
            return perCompleted(cost.cpuSeconds());
        }

        /** Of that, what the JVMs' JIT compilers spent. */
        @JsonProperty
        double jitCpuMsPerSaga() {
            return perCompleted(cost.jitCpuSeconds());
        }

        private double perCompleted(double cpuSeconds) {
            return result.completed() == 0 ? 0 : Math.round(cpuSeconds * 1000 / result.completed() * 10) / 10.0;
        }
    }

    record ApiComparison(
            ClosedLoop.Result viaApi,
            ClosedLoop.Result direct,
            double throughputToDirect,
            double p50ToDirect,
            double p99ToDirect,
            Map<String, Resources.Usage> resources) {}

    record RelayRun(RelayBench.Result result, Map<String, Resources.Usage> resources) {}

    record RelayLimitRuns(RelayLimits.Drain drain, RelayLimits.Paced paced) {}

    record Machine(String cpu, int cores, long memoryGiB, String os, String java, String date) {}

    private final BenchOptions options;
    private final Machine machine = machine();
    private final List<Step> saga = new ArrayList<>();
    private final List<Step> ceiling = new ArrayList<>();
    private final Map<String, Map<String, List<Profiles.Frame>>> profiles = new LinkedHashMap<>();
    private String temporal;
    private ApiComparison api;
    private RelayRun relay;
    private RelayLimitRuns relayLimits;

    Report(BenchOptions options) {
        this.options = options;
    }

    void temporal(String description) {
        temporal = description;
    }

    String temporal() {
        return temporal;
    }

    void saga(OpenLoop.Result result, SystemCost.Spent cost) {
        saga.add(new Step(result, cost));
    }

    void ceiling(OpenLoop.Result result, SystemCost.Spent cost) {
        ceiling.add(new Step(result, cost));
    }

    /**
     * The rate at which the saga and the ceiling are compared, cost for cost: the saga's highest rate kept up (its
     * lowest when it kept up with none). Below the knee a step's cost is the sagas', not a backlog's.
     */
    double comparedRate() {
        return saga.stream()
                .filter(step -> step.result().keptUp())
                .mapToDouble(step -> step.result().rate())
                .max()
                .orElse(options.rates().get(0));
    }

    /** The top frames of each recorded JVM over the scenario's step at the compared rate. */
    void profiles(String scenario, Map<String, Path> recordings) throws IOException {
        Optional<Step> step = at(scenario.equals("saga") ? saga : ceiling, comparedRate());
        if (step.isEmpty()) {
            return;
        }
        Map<String, List<Profiles.Frame>> frames = new LinkedHashMap<>();
        for (Map.Entry<String, Path> recording : recordings.entrySet()) {
            frames.put(
                    recording.getKey(),
                    Profiles.topFrames(
                            recording.getValue(),
                            step.get().cost().from(),
                            step.get().cost().to(),
                            TOP_FRAMES));
        }
        profiles.put(scenario, frames);
    }

    void api(ClosedLoop.Result viaApi, ClosedLoop.Result direct, Map<String, Resources.Usage> resources) {
        api = new ApiComparison(
                viaApi,
                direct,
                ratio(viaApi.perSecond(), direct.perSecond()),
                ratio(viaApi.latency().p50(), direct.latency().p50()),
                ratio(viaApi.latency().p99(), direct.latency().p99()),
                resources);
    }

    void relay(RelayBench.Result result, Map<String, Resources.Usage> resources) {
        relay = new RelayRun(result, resources);
    }

    void relayLimits(RelayLimits.Drain drain, RelayLimits.Paced paced) {
        relayLimits = new RelayLimitRuns(drain, paced);
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
        json.putAll(headline());
        json.put("machine", machine);
        json.put("temporal", temporal);
        json.put(
                "settings",
                Map.of(
                        "jitWarmupSeconds",
                        options.jitWarmup().toSeconds(),
                        "warmupSeconds",
                        options.warmup().toSeconds(),
                        "windowSeconds",
                        options.duration().toSeconds(),
                        "rates",
                        options.rates(),
                        "relayBatchSize",
                        options.relayBatchSize(),
                        "productJvmOptions",
                        options.productJvmOptions()));
        json.put("tuning", options.tuning());
        json.put("comparedRate", comparedRate());
        json.put("saga", saga);
        json.put("ceiling", ceiling);
        json.put("profiles", profiles);
        json.put("relay", relay);
        json.put("relayLimits", relayLimits);
        json.put("api", api);
        new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(directory.resolve("report.json").toFile(), json);
        Files.writeString(directory.resolve("report.md"), markdown());
        return directory;
    }

    /** The figures a script compares between runs, each a ratio to its limit in this run (null if not measured). */
    private Map<String, Object> headline() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("sagaToCeiling", ratio(max(saga), max(ceiling)));
        figures.put("cpuPerSagaToCeiling", cpuPerSagaToCeiling().orElse(null));
        figures.put(
                "relayDrainToSqlCycle",
                relayLimits == null ? null : relayLimits.drain().relayToSqlCycle());
        figures.put(
                "relayPacedP99Ms",
                relayLimits == null ? null : relayLimits.paced().relay().p99());
        figures.put(
                "rawProducerPacedP99Ms",
                relayLimits == null ? null : relayLimits.paced().rawProducer().p99());
        figures.put("apiP99ToDirect", api == null ? null : api.p99ToDirect());
        figures.put("sagaMaxPerSecond", max(saga));
        figures.put("ceilingMaxPerSecond", max(ceiling));
        return figures;
    }

    private Optional<Double> cpuPerSagaToCeiling() {
        Optional<Step> sagaStep = at(saga, comparedRate());
        Optional<Step> ceilingStep = at(ceiling, comparedRate());
        if (sagaStep.isEmpty()
                || ceilingStep.isEmpty()
                || sagaStep.get().cpuMsPerSaga() == 0
                || ceilingStep.get().cpuMsPerSaga() == 0) {
            return Optional.empty();
        }
        return Optional.of(
                ratio(sagaStep.get().cpuMsPerSaga(), ceilingStep.get().cpuMsPerSaga()));
    }

    private static Optional<Step> at(List<Step> ladder, double rate) {
        return ladder.stream().filter(step -> step.result().rate() == rate).findFirst();
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
                "Each rate: %d s warm-up (the first: %d s, for JIT compilation), %d s measured. Worker"
                        + " tuning: %d workflow pollers, %d activity pollers, %d concurrent workflow tasks, %d"
                        + " concurrent activities, workflow cache %d; relay batch %d. JVM options of the workers and"
                        + " the API: `%s`.%n%n",
                options.warmup().toSeconds(),
                options.jitWarmup().toSeconds(),
                options.duration().toSeconds(),
                t.workflowPollers(),
                t.activityPollers(),
                t.maxConcurrentWorkflowTasks(),
                t.maxConcurrentActivities(),
                t.workflowCacheSize(),
                options.relayBatchSize(),
                options.productJvmOptions()));
        md.append("| headline | this run |\n|---|---|\n");
        headline()
                .forEach((name, value) -> md.append("| `")
                        .append(name)
                        .append("` | ")
                        .append(value == null ? "not measured" : value)
                        .append(" |\n"));
        md.append('\n');

        md.append("## Saga throughput (through the API) and the orchestration ceiling (no-op activities)\n\n");
        md.append(String.format(
                "The saga's best: **%.1f completed/s**, %.2f of the ceiling's %.1f/s on the same"
                        + " Temporal with the same worker tuning.%n%n",
                max(saga), ratio(max(saga), max(ceiling)), max(ceiling)));
        md.append("| scenario | offered /s | completed /s | p50 ms | p95 ms | p99 ms | unfinished | kept up |"
                + " CPU ms per saga, all processes |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Step step : saga) {
            md.append(row("saga", step));
        }
        for (Step step : ceiling) {
            md.append(row("ceiling", step));
        }
        md.append("\nSaga latency: POST accepted to `OrderCompleted` read from Kafka. Ceiling latency: workflow"
                + " started to its result.\n\n");
        costs(md);

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
        if (relayLimits != null) {
            RelayLimits.Drain drain = relayLimits.drain();
            RelayLimits.Paced paced = relayLimits.paced();
            md.append("## Outbox relay against its limits\n\n");
            md.append(String.format(
                    "Drain: %d pending rows, after %d untimed drains of as many (JIT compilation). Relay, from its"
                            + " start to its last mark: **%.0f rows/s**; the bare SQL of its cycle (read %d pending rows"
                            + " in order `FOR UPDATE SKIP LOCKED`, mark them, commit), no Kafka: %.0f rows/s."
                            + " Relay/SQL cycle: **%.3f**.%n%n",
                    drain.rows(),
                    RelayLimits.WARM_UP_DRAINS,
                    drain.relayPerSecond(),
                    options.relayBatchSize(),
                    drain.sqlCyclePerSecond(),
                    drain.relayToSqlCycle()));
            double relayMicros = drain.relaySpent().cpuMicrosPerRow(drain.rows());
            double relayCeiling = machine.cores() * 1e6 / relayMicros;
            md.append(String.format(
                    "What the machine spent, every process: relay %s; SQL cycle %s. At the relay's cost the %d cores"
                            + " carry at most %.0f rows/s, %.2f of the SQL cycle; 0.7 of it would need at most %.0f µs"
                            + " of CPU per row.%n%n",
                    spent(drain.relaySpent(), drain.rows()),
                    spent(drain.sqlCycleSpent(), drain.rows()),
                    machine.cores(),
                    relayCeiling,
                    relayCeiling / drain.sqlCyclePerSecond(),
                    machine.cores() * 1e6 / (0.7 * drain.sqlCyclePerSecond())));
            md.append(String.format(
                    "Paced: %d events at %.0f/s, one per transaction. Relay, commit to the broker's ack: p50 %.1f"
                            + " ms, p99 **%.1f ms**, max %.1f; commit to marked published, after its batch's acks:"
                            + " p50 %.1f ms, p99 %.1f ms. Raw producer at the same pace, send to ack: p50 %.1f ms, p99"
                            + " **%.1f ms**, max %.1f.%n%n",
                    paced.events(),
                    paced.rate(),
                    paced.relay().p50(),
                    paced.relay().p99(),
                    paced.relay().max(),
                    paced.relayMarked().p50(),
                    paced.relayMarked().p99(),
                    paced.rawProducer().p50(),
                    paced.rawProducer().p99(),
                    paced.rawProducer().max()));
            md.append(String.format(
                    "What the machine spent, every process: relay (with the writers) %s; raw producer %s.%n%n",
                    spent(paced.relaySpent(), paced.events()), spent(paced.rawProducerSpent(), paced.events())));
        }
        if (api != null) {
            ClosedLoop.Result via = api.viaApi();
            ClosedLoop.Result direct = api.direct();
            md.append("## API overhead\n\n");
            md.append(String.format(
                    "%d requests from %d concurrent clients, after a warm-up. `POST /orders` accepted: %.1f/s, p50 %.1f"
                            + " ms, p95 %.1f, p99 %.1f. The same workflow started directly with the Temporal client: %.1f/s,"
                            + " p50 %.1f ms, p95 %.1f, p99 %.1f. API/direct: throughput **%.2f**, p50 latency **%.2f**,"
                            + " p99 latency **%.2f**. During the API run: %s.%n",
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
                    api.p99ToDirect(),
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
                step.cpuMsPerSaga());
    }

    /** Where a saga's cost goes, process by process, beside the ceiling's, at the compared rate. */
    private void costs(StringBuilder md) {
        Optional<Step> sagaStep = at(saga, comparedRate());
        if (sagaStep.isEmpty()) {
            return;
        }
        Optional<Step> ceilingStep = at(ceiling, comparedRate());
        md.append(String.format(
                "## What a saga costs, at %.1f sagas/s%n%nCPU per completed saga over the measured window, every"
                        + " process of the machine's stack (PostgreSQL with all its backends; the benchmark is the"
                        + " load and, for the ceiling, the no-op workers). Saga/ceiling: **%s**.%n%n",
                comparedRate(), cpuPerSagaToCeiling().map(Object::toString).orElse("not measured")));
        md.append("| process | saga CPU ms/saga | of which JIT compiler | ceiling CPU ms/saga | of which JIT compiler"
                + " | saga peak RSS MB |\n|---|---|---|---|---|---|\n");
        Map<String, Resources.Usage> sagaProcesses = sagaStep.get().cost().processes();
        Map<String, Resources.Usage> ceilingProcesses =
                ceilingStep.map(step -> step.cost().processes()).orElse(Map.of());
        sagaProcesses.forEach((name, usage) -> md.append(String.format(
                "| %s | %.1f | %.1f | %s | %d |%n",
                name,
                perSaga(usage.cpuSeconds() * 1000, sagaStep.get()),
                perSaga(usage.jitCpuSeconds() * 1000, sagaStep.get()),
                ceilingProcesses.containsKey(name)
                        ? String.format(
                                "%.1f | %.1f",
                                perSaga(ceilingProcesses.get(name).cpuSeconds() * 1000, ceilingStep.get()),
                                perSaga(ceilingProcesses.get(name).jitCpuSeconds() * 1000, ceilingStep.get()))
                        : "- | -",
                usage.peakRssMb())));
        md.append(String.format(
                "| **all** | **%.1f** | **%.1f** | **%s** | **%s** | |%n%n",
                sagaStep.get().cpuMsPerSaga(),
                sagaStep.get().jitCpuMsPerSaga(),
                ceilingStep.map(step -> Double.toString(step.cpuMsPerSaga())).orElse("-"),
                ceilingStep.map(step -> Double.toString(step.jitCpuMsPerSaga())).orElse("-")));
        DatabaseActivity.Window database = sagaStep.get().cost().database();
        md.append(String.format(
                "PostgreSQL per saga: %.1f commits, %.1f rows written (%.1f inserted, %.1f updated, %.1f deleted).%n%n",
                perSaga(database.commits(), sagaStep.get()),
                perSaga(database.rowsWritten(), sagaStep.get()),
                perSaga(database.rowsInserted(), sagaStep.get()),
                perSaga(database.rowsUpdated(), sagaStep.get()),
                perSaga(database.rowsDeleted(), sagaStep.get())));
        sdk(md, "saga", sagaStep.get());
        ceilingStep.ifPresent(step -> sdk(md, "ceiling", step));
        profiles.forEach((scenario, jvms) -> {
            md.append(String.format("### Top frames by self time, %s (JFR execution samples)%n%n", scenario));
            jvms.forEach((jvm, frames) -> {
                md.append("- ").append(jvm).append(": ");
                List<String> shares = new ArrayList<>();
                frames.forEach(frame -> shares.add(String.format("`%s` %.1f%%", frame.method(), frame.share() * 100)));
                md.append(shares.isEmpty() ? "no samples" : String.join(", ", shares))
                        .append('\n');
            });
            md.append('\n');
        });
    }

    /** The Temporal SDK's view in each process: latencies and, per saga, polls, requests and sticky cache. */
    private static void sdk(StringBuilder md, String scenario, Step step) {
        md.append(String.format(
                "### Temporal SDK, %s (p50 / p99 ms; counts per saga)%n%n| process | latencies | counts per saga |%n"
                        + "|---|---|---|%n",
                scenario));
        step.cost().sdk().forEach((process, window) -> {
            List<String> latencies = new ArrayList<>();
            window.latencies()
                    .forEach((name, latency) -> latencies.add(
                            String.format("%s %.1f / %.1f", shortName(name), latency.p50Ms(), latency.p99Ms())));
            List<String> counts = new ArrayList<>();
            window.counts()
                    .forEach((name, count) ->
                            counts.add(String.format("%s %.2f", shortName(name), perSaga(count, step))));
            md.append(String.format(
                    "| %s | %s | %s |%n", process, String.join("; ", latencies), String.join("; ", counts)));
        });
        md.append('\n');
    }

    private static String shortName(String metric) {
        return metric.replaceFirst("^temporal_", "").replaceFirst("_latency$", "");
    }

    private static double perSaga(double amount, Step step) {
        return step.result().completed() == 0 ? 0 : amount / step.result().completed();
    }

    /** CPU per row and cores busy, then each process's CPU seconds. */
    private String spent(RelayLimits.Spent spent, int rows) {
        List<String> parts = new ArrayList<>();
        spent.processes().forEach((name, usage) -> parts.add(String.format("%s %.1f", name, usage.cpuSeconds())));
        return String.format(
                "**%.0f µs CPU per row**, %.2f of %d cores busy over %.1f s (CPU s: %s; of all that, the JIT"
                        + " compilers %.1f)",
                spent.cpuMicrosPerRow(rows),
                spent.coresBusy(),
                machine.cores(),
                spent.seconds(),
                String.join(", ", parts),
                Resources.totalJitCpuSeconds(spent.processes()));
    }

    private static String usage(Map<String, Resources.Usage> resources) {
        List<String> parts = new ArrayList<>();
        resources.forEach((name, usage) ->
                parts.add(String.format("%s %.1f s, %d MB", name, usage.cpuSeconds(), usage.peakRssMb())));
        return String.join("; ", parts);
    }

    /** The saga's highest completion rate of the ladder so far. */
    double sagaMaxPerSecond() {
        return max(saga);
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
