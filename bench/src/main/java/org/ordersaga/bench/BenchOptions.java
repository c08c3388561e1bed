package org.ordersaga.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.ordersaga.temporal.WorkerTuning;

/**
 * What to run and how long: {@code --rates=10,25,50,100,200 --warmup=5s --duration=20s --relay-events=20000
 * --api-requests=400 --api-clients=8}, the worker tuning ({@code --workflow-pollers= --activity-pollers=
 * --max-concurrent-workflow-tasks= --max-concurrent-activities= --workflow-cache-size= --relay-batch-size=}),
 * {@code --out=target/bench}, and the packaged jars ({@code --worker-jar= --api-jar=}).
 */
record BenchOptions(
        List<Double> rates,
        Duration warmup,
        Duration duration,
        int relayEvents,
        int apiRequests,
        int apiClients,
        WorkerTuning tuning,
        int relayBatchSize,
        Path out,
        Path workerJar,
        Path apiJar) {

    static final BenchOptions DEFAULTS = new BenchOptions(
            List.of(10.0, 25.0, 50.0, 100.0, 200.0),
            Duration.ofSeconds(5),
            Duration.ofSeconds(20),
            20_000,
            400,
            8,
            new WorkerTuning(2, 2, 200, 200, 600),
            500,
            Path.of("target", "bench"),
            Path.of("worker", "target", "worker.jar"),
            Path.of("api", "target", "api.jar"));

    static BenchOptions parse(String... arguments) {
        BenchOptions options = DEFAULTS;
        for (String argument : arguments) {
            String[] option = argument.split("=", 2);
            if (option.length != 2 || !option[0].startsWith("--")) {
                throw new IllegalArgumentException("unknown argument '" + argument + "'; options are --name=value");
            }
            options = options.with(option[0].substring(2), option[1]);
        }
        return options;
    }

    /** How long the run should take, roughly: the saga and ceiling ladders in full, the rest estimated. */
    Duration planned() {
        Duration step = warmup.plus(duration).plusSeconds(5);
        return step.multipliedBy(2L * rates.size()).plusSeconds(90 + relayEvents / 2000 + apiRequests / 20);
    }

    private BenchOptions with(String name, String value) {
        WorkerTuning t = tuning;
        try {
            return switch (name) {
                case "rates" ->
                    new BenchOptions(
                            Arrays.stream(value.split(",")).map(Double::valueOf).toList(),
                            warmup,
                            duration,
                            relayEvents,
                            apiRequests,
                            apiClients,
                            tuning,
                            relayBatchSize,
                            out,
                            workerJar,
                            apiJar);
                case "warmup" -> copy(seconds(value), duration, relayEvents, apiRequests, apiClients, t);
                case "duration" -> copy(warmup, seconds(value), relayEvents, apiRequests, apiClients, t);
                case "relay-events" -> copy(warmup, duration, Integer.parseInt(value), apiRequests, apiClients, t);
                case "api-requests" -> copy(warmup, duration, relayEvents, Integer.parseInt(value), apiClients, t);
                case "api-clients" -> copy(warmup, duration, relayEvents, apiRequests, Integer.parseInt(value), t);
                case "workflow-pollers" ->
                    copy(new WorkerTuning(
                            Integer.parseInt(value),
                            t.activityPollers(),
                            t.maxConcurrentWorkflowTasks(),
                            t.maxConcurrentActivities(),
                            t.workflowCacheSize()));
                case "activity-pollers" ->
                    copy(new WorkerTuning(
                            t.workflowPollers(),
                            Integer.parseInt(value),
                            t.maxConcurrentWorkflowTasks(),
                            t.maxConcurrentActivities(),
                            t.workflowCacheSize()));
                case "max-concurrent-workflow-tasks" ->
                    copy(new WorkerTuning(
                            t.workflowPollers(),
                            t.activityPollers(),
                            Integer.parseInt(value),
                            t.maxConcurrentActivities(),
                            t.workflowCacheSize()));
                case "max-concurrent-activities" ->
                    copy(new WorkerTuning(
                            t.workflowPollers(),
                            t.activityPollers(),
                            t.maxConcurrentWorkflowTasks(),
                            Integer.parseInt(value),
                            t.workflowCacheSize()));
                case "workflow-cache-size" ->
                    copy(new WorkerTuning(
                            t.workflowPollers(),
                            t.activityPollers(),
                            t.maxConcurrentWorkflowTasks(),
                            t.maxConcurrentActivities(),
                            Integer.parseInt(value)));
                case "relay-batch-size" ->
                    new BenchOptions(
                            rates,
                            warmup,
                            duration,
                            relayEvents,
                            apiRequests,
                            apiClients,
                            tuning,
                            Integer.parseInt(value),
                            out,
                            workerJar,
                            apiJar);
                case "out" ->
                    new BenchOptions(
                            rates,
                            warmup,
                            duration,
                            relayEvents,
                            apiRequests,
                            apiClients,
                            tuning,
                            relayBatchSize,
                            Path.of(value),
                            workerJar,
                            apiJar);
                case "worker-jar" ->
                    new BenchOptions(
                            rates,
                            warmup,
                            duration,
                            relayEvents,
                            apiRequests,
                            apiClients,
                            tuning,
                            relayBatchSize,
                            out,
                            Path.of(value),
                            apiJar);
                case "api-jar" ->
                    new BenchOptions(
                            rates,
                            warmup,
                            duration,
                            relayEvents,
                            apiRequests,
                            apiClients,
                            tuning,
                            relayBatchSize,
                            out,
                            workerJar,
                            Path.of(value));
                default -> throw new IllegalArgumentException("unknown option --" + name);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number, not '" + value + "'");
        }
    }

    private BenchOptions copy(
            Duration warmup, Duration duration, int relayEvents, int apiRequests, int apiClients, WorkerTuning tuning) {
        return new BenchOptions(
                rates,
                warmup,
                duration,
                relayEvents,
                apiRequests,
                apiClients,
                tuning,
                relayBatchSize,
                out,
                workerJar,
                apiJar);
    }

    private BenchOptions copy(WorkerTuning tuning) {
        return copy(warmup, duration, relayEvents, apiRequests, apiClients, tuning);
    }

    private static Duration seconds(String value) {
        if (!value.matches("\\d+s")) {
            throw new NumberFormatException(value);
        }
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
    }
}
