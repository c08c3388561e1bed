package org.ordersaga.saga;

import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays recorded histories of released workflow code against the current code: a change that is not
 * deterministic (a step added, removed or reordered without {@code Workflow.getVersion}) fails here. Histories
 * come from {@link RecordHistories}; each includes one transient retry, so the retry timer is covered too.
 */
class OrderWorkflowReplayTest {

    private TestWorkflowEnvironment env;
    private Worker worker;

    @BeforeEach
    void createWorker() {
        env = TestWorkflowEnvironment.newInstance();
        worker = env.newWorker(TaskQueues.ORDER_SAGA);
        worker.registerWorkflowImplementationFactory(OrderWorkflow.class,
                () -> new OrderWorkflowImpl(SagaSettings.DEFAULT));
    }

    @AfterEach
    void close() {
        env.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"completed", "payment-declined", "address-unserviceable"})
    void replaysDeterministically(String outcome) throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + outcome + ".json", worker);
    }
}
