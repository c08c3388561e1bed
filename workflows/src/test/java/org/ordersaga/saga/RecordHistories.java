package org.ordersaga.saga;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TemporalDevServerOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Records the histories that {@link OrderWorkflowReplayTest} replays, one per scenario. Re-record only when a
 * workflow change is released together with its {@code Workflow.getVersion} branch, into new files; keep the old
 * ones, so that sagas still running on the old code stay covered:
 * {@code ./mvnw -pl workflows test-compile exec:java -Dexec.mainClass=org.ordersaga.saga.RecordHistories
 * -Dexec.classpathScope=test -Dexec.cleanupDaemonThreads=false -Dexec.args=workflows/src/test/resources/histories/NEW-VERSION}
 *
 * <p>Most scenarios run on the time-skipping test server. Those that depend on how the real server reports a timeout
 * run on the {@code temporal} CLI's dev server ({@code TEMPORAL_CLI}, as {@code scripts/temporal-cli.sh} prints it),
 * in real time; without it they are not recorded.
 */
public final class RecordHistories {

    private static final RetryPolicy CUSTOM = new RetryPolicy(
            Duration.ofMillis(250), 3.0, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(2));

    /** Each attempt may take two seconds, and the step three: the budget's timer fires during the second attempt. */
    private static final RetryPolicy HANGS_PAST_BUDGET = new RetryPolicy(
            Duration.ofMillis(250), 1.0, Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofSeconds(3));

    /**
     * What a scenario does: set up the services, then act on the started saga (or not).
     *
     * @param onRealServer recorded on the dev server, whose report of a timeout is the real server's
     * @param actsBeforeWorkers acts before any worker polls, so that what it sends reaches the saga in its first
     *     workflow task
     */
    private record Scenario(
            SagaPolicy policy,
            Consumer<FakeServices> setUp,
            Consumer<Running> act,
            boolean onRealServer,
            boolean actsBeforeWorkers) {
        Scenario(SagaPolicy policy, Consumer<FakeServices> setUp, Consumer<Running> act) {
            this(policy, setUp, act, false, false);
        }

        Scenario(Consumer<FakeServices> setUp) {
            this(SagaPolicy.DEFAULT, setUp, running -> {});
        }
    }

    private record Running(FakeServices services, OrderWorkflow workflow, TestWorkflowEnvironment env) {}

    static final Map<String, Scenario> SCENARIOS = Map.of(
            "completed", new Scenario(services -> services.failNext("reserve", FakeServices.transientFailure())),
            "payment-declined", new Scenario(services -> services.reject("charge", FailureTypes.PAYMENT_DECLINED)),
            "address-unserviceable",
                    new Scenario(services -> services.reject("createShipment", FailureTypes.ADDRESS_UNSERVICEABLE)),
            "custom-policy",
                    new Scenario(
                            new SagaPolicy(Map.of(SagaService.PAYMENT.id(), CUSTOM, SagaService.SHIPPING.id(), CUSTOM)),
                            services -> services.failNext(
                                    "charge", FakeServices.transientFailure(), FakeServices.transientFailure()),
                            running -> {}),
            "compensation-retried",
                    new Scenario(services -> {
                        services.reject("charge", FailureTypes.PAYMENT_DECLINED);
                        services.failNext(
                                "release",
                                FakeServices.transientFailure(),
                                FakeServices.transientFailure(),
                                FakeServices.transientFailure());
                    }),
            "outage",
                    new Scenario(
                            new SagaPolicy(Map.of(SagaService.SHIPPING.id(), CUSTOM)),
                            services -> services.failUntilStopped("createShipment", FailureTypes.SERVICE_UNAVAILABLE),
                            running -> {
                                running.env().sleep(Duration.ofMinutes(5));
                                running.services().stopFailing("createShipment");
                            }),
            "cancelled",
                    new Scenario(SagaPolicy.DEFAULT, services -> services.gate("charge"), running -> {
                        running.services().awaitCall("charge");
                        running.workflow().cancel("changed my mind");
                        running.services().gate("charge").countDown();
                    }),
            "budget-timer-fired",
                    new Scenario(
                            new SagaPolicy(Map.of(SagaService.SHIPPING.id(), HANGS_PAST_BUDGET)),
                            services -> services.hang("createShipment", Duration.ofSeconds(5)),
                            running -> {
                                running.env().sleep(Duration.ofSeconds(4));
                                running.services().hang("createShipment", Duration.ZERO);
                            },
                            true,
                            false),
            "cancelled-at-start",
                    new Scenario(
                            SagaPolicy.DEFAULT,
                            services -> {},
                            running -> {
                                CompletableFuture.runAsync(
                                        () -> running.workflow().cancel("at once"));
                                // time for the update to reach the server before a worker polls
                                sleep(Duration.ofSeconds(1));
                            },
                            false,
                            true));

    private RecordHistories() {}

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args.length > 0 ? args[0] : "workflows/src/test/resources/histories");
        Files.createDirectories(folder);
        Optional<String> cli =
                Optional.ofNullable(System.getenv("TEMPORAL_CLI")).filter(path -> !path.isBlank());
        for (var scenario : SCENARIOS.entrySet()) {
            if (scenario.getValue().onRealServer() && cli.isEmpty()) {
                System.err.println("not recorded without TEMPORAL_CLI: " + scenario.getKey());
                continue;
            }
            Files.writeString(
                    folder.resolve(scenario.getKey() + ".json"), record(scenario.getKey(), scenario.getValue(), cli));
        }
    }

    private static String record(String name, Scenario scenario, Optional<String> cli) {
        FakeServices services = new FakeServices();
        scenario.setUp().accept(services);
        try (TestWorkflowEnvironment env = scenario.onRealServer()
                ? TestWorkflowEnvironment.startLocal(TemporalDevServerOptions.newBuilder()
                        .setExistingPath(cli.orElseThrow())
                        .setDownloadEnabled(false)
                        .setIp("127.0.0.1")
                        .setUiEnabled(false)
                        .setExtraArgs(OrderWorkflows.SEARCH_ATTRIBUTES.stream()
                                .flatMap(key -> Stream.of("--search-attribute", key.getName() + "=Keyword"))
                                .toList())
                        .build())
                : OrderWorkflowTest.newEnvironment()) {
            services.register(env);
            if (!scenario.actsBeforeWorkers()) {
                env.start();
            }
            OrderRequest order = Orders.order(name);
            OrderWorkflow workflow =
                    env.getWorkflowClient().newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
            WorkflowClient.start(workflow::process, order, scenario.policy());
            scenario.act().accept(new Running(services, workflow, env));
            if (scenario.actsBeforeWorkers()) {
                env.start();
            }
            WorkflowStub.fromTyped(workflow).getResult(SagaStatus.class);
            return env.getWorkflowClient()
                    .fetchHistory(OrderWorkflows.workflowId(order.orderId()))
                    .toJson(true);
        }
    }
}
