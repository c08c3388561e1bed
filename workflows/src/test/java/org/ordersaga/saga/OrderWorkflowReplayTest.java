package org.ordersaga.saga;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays recorded histories of released workflow code against the current code: a change that is not
 * deterministic (a step added, removed or reordered without {@code Workflow.getVersion}) fails here. Histories
 * come from {@link RecordHistories}: every outcome, a non-default policy, transient failures, a compensation that
 * retried, an outage longer than a step's budget, a cancel, and a step whose budget's timer fired during an attempt
 * on the dev server. The worker here has no settings at all: a saga's
 * policy is in its input.
 */
class OrderWorkflowReplayTest {

    private TestWorkflowEnvironment env;
    private Worker worker;

    @BeforeEach
    void createWorker() {
        env = TestWorkflowEnvironment.newInstance();
        worker = env.newWorker(SagaService.ORDERS.taskQueue());
        worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
    }

    @AfterEach
    void close() {
        env.close();
    }

    /**
     * {@code before-text-rules/} was recorded by the code before the {@value OrderWorkflowImpl#TEXT_RULES} version;
     * its {@code long-address-name} saga was valid then and is not now, so it replays only through the version's old
     * branch. {@code text-rules/} was recorded by the code before the {@value StepRunner#BUDGET_TIMER_FIRED}
     * version: its {@code budget-timer-fired} saga compensated, and replays so through that version's old branch.
     * {@code budget-timer-fired/} is the current code's.
     */
    @ParameterizedTest
    @MethodSource("histories")
    void replaysDeterministically(String history) throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(history, worker);
    }

    static Stream<String> histories() throws Exception {
        Path root =
                Path.of(OrderWorkflowReplayTest.class.getResource("/histories").toURI());
        try (Stream<Path> files = Files.walk(root)) {
            List<String> histories = files.filter(file -> file.toString().endsWith(".json"))
                    .map(file -> "histories/" + root.relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
            assertTrue(histories.size() >= 24, "every release's histories: " + histories);
            return histories.stream();
        }
    }
}
