package org.ordersaga.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.ordersaga.local.SagaProcesses;
import org.ordersaga.temporal.WorkerTuning;

/**
 * What to run and how long: {@code --rates=2,4,6,8,10,15,20,30 --jit-warmup=60s --warmup=10s --duration=30s
 * --relay-events=20000 --relay-backlog=100000 --relay-paced-rate=1000 --api-requests=400 --api-clients=8}, the worker
 * tuning ({@code --workflow-pollers= --activity-pollers=
 * --max-concurrent-workflow-tasks= --max-concurrent-activities= --workflow-cache-size= --relay-batch-size=}), the
 * JVM options of the workers and the API ({@code --product-jvm-options=-XX:TieredStopAtLevel=1}, as they run
 * everywhere), {@code --out=target/bench}, and the packaged jars ({@code --worker-jar= --api-jar=}).
 */
record BenchOptions(
        List<Double> rates,
        Duration jitWarmup,
        Duration warmup,
        Duration duration,
        int relayEvents,
        int relayBacklog,
        double relayPacedRate,
        int apiRequests,
        int apiClients,
        WorkerTuning tuning,
        int relayBatchSize,
        String productJvmOptions,
        Path out,
        Path workerJar,
        Path apiJar) {

    static final BenchOptions DEFAULTS = new BenchOptions(
            List.of(2.0, 4.0, 6.0, 8.0, 10.0, 15.0, 20.0, 30.0),
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            20_000,
            100_000,
            1000,
            400,
            8,
            new WorkerTuning(2, 2, 200, 200, 600),
            500,
            SagaProcesses.JVM_OPTIONS,
            Path.of("target", "bench"),
            Path.of("worker", "target", "worker.jar"),
            Path.of("api", "target", "api.jar"));

    private static final Set<String> NAMES = Set.of(
            "rates",
            "jit-warmup",
            "warmup",
            "duration",
            "relay-events",
            "relay-backlog",
            "relay-paced-rate",
            "api-requests",
            "api-clients",
            "workflow-pollers",
            "activity-pollers",
            "max-concurrent-workflow-tasks",
            "max-concurrent-activities",
            "workflow-cache-size",
            "relay-batch-size",
            "product-jvm-options",
            "out",
            "worker-jar",
            "api-jar");

    static BenchOptions parse(String... arguments) {
        Map<String, String> given = new HashMap<>();
        for (String argument : arguments) {
            String[] option = argument.split("=", 2);
            if (option.length != 2 || !option[0].startsWith("--")) {
                throw new IllegalArgumentException("unknown argument '" + argument + "'; options are --name=value");
            }
            String name = option[0].substring(2);
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            given.put(name, option[1]);
        }
        return DEFAULTS.with(new Given(given));
    }

    /** How long the run should take, roughly: the saga and ceiling ladders in full, the rest estimated. */
    Duration planned() {
        Duration step = warmup.plus(duration).plusSeconds(5);
        return step.multipliedBy(2L * rates.size())
                .plus(jitWarmup.minus(warmup).multipliedBy(2))
                .plus(duration.multipliedBy(2))
                .plusSeconds(90 + relayEvents / 2000 + relayBacklog / 1000 + apiRequests / 20);
    }

    /** These options with the given ones in place of theirs. */
    private BenchOptions with(Given given) {
        return new BenchOptions(
                given.text("rates")
                        .map(value -> Arrays.stream(value.split(","))
                                .map(rate -> given.parse("rates", rate, Double::valueOf))
                                .toList())
                        .orElse(rates),
                given.seconds("jit-warmup").orElse(jitWarmup),
                given.seconds("warmup").orElse(warmup),
                given.seconds("duration").orElse(duration),
                given.number("relay-events").orElse(relayEvents),
                given.number("relay-backlog").orElse(relayBacklog),
                given.text("relay-paced-rate")
                        .map(value -> given.parse("relay-paced-rate", value, Double::valueOf))
                        .orElse(relayPacedRate),
                given.number("api-requests").orElse(apiRequests),
                given.number("api-clients").orElse(apiClients),
                new WorkerTuning(
                        given.number("workflow-pollers").orElse(tuning.workflowPollers()),
                        given.number("activity-pollers").orElse(tuning.activityPollers()),
                        given.number("max-concurrent-workflow-tasks").orElse(tuning.maxConcurrentWorkflowTasks()),
                        given.number("max-concurrent-activities").orElse(tuning.maxConcurrentActivities()),
                        given.number("workflow-cache-size").orElse(tuning.workflowCacheSize())),
                given.number("relay-batch-size").orElse(relayBatchSize),
                given.text("product-jvm-options").orElse(productJvmOptions),
                given.text("out").map(Path::of).orElse(out),
                given.text("worker-jar").map(Path::of).orElse(workerJar),
                given.text("api-jar").map(Path::of).orElse(apiJar));
    }

    /** The options given on the command line, by name. */
    private record Given(Map<String, String> values) {

        Optional<String> text(String name) {
            return Optional.ofNullable(values.get(name));
        }

        Optional<Integer> number(String name) {
            return text(name).map(value -> parse(name, value, Integer::valueOf));
        }

        /** A duration in whole seconds: {@code 20s}. */
        Optional<Duration> seconds(String name) {
            return text(name).map(value -> {
                if (!value.matches("\\d+s")) {
                    throw new IllegalArgumentException(
                            "--" + name + " needs whole seconds like 20s, not '" + value + "'");
                }
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            });
        }

        <T> T parse(String name, String value, Function<String, T> parser) {
            try {
                return parser.apply(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " needs a number, not '" + value + "'");
            }
        }
    }
}
