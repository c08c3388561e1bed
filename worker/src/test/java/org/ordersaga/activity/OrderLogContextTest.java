package org.ordersaga.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ordersaga.saga.OrderWorkflows;
import org.slf4j.MDC;

/** Here, where logback (the workers' logging) keeps the MDC; the activities module's tests log without one. */
class OrderLogContextTest {

    @ActivityInterface
    public interface LogContext {
        String orderIdInTheMdc();
    }

    @WorkflowInterface
    public interface CallsOneActivity {
        @WorkflowMethod
        String run();
    }

    public static class CallsOneActivityImpl implements CallsOneActivity {
        @Override
        public String run() {
            return Workflow.newActivityStub(
                            LogContext.class,
                            ActivityOptions.newBuilder()
                                    .setRetryOptions(RetryOptions.newBuilder()
                                            .setMaximumAttempts(1)
                                            .build())
                                    .setStartToCloseTimeout(Duration.ofSeconds(10))
                                    .build())
                    .orderIdInTheMdc();
        }
    }

    @Test
    void anActivityLogsWithTheOrderOfItsSaga() {
        TestEnvironmentOptions options = TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new OrderLogContext())
                        .build())
                .build();
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options)) {
            Worker worker = env.newWorker("log-context");
            worker.registerWorkflowImplementationTypes(CallsOneActivityImpl.class);
            worker.registerActivitiesImplementations((LogContext) () -> MDC.get(OrderLogContext.ORDER_ID));
            env.start();
            String orderId = env.getWorkflowClient()
                    .newWorkflowStub(
                            CallsOneActivity.class,
                            WorkflowOptions.newBuilder()
                                    .setTaskQueue("log-context")
                                    .setWorkflowId(OrderWorkflows.workflowId("o-42"))
                                    .build())
                    .run();

            assertEquals("o-42", orderId);
        }
    }
}
