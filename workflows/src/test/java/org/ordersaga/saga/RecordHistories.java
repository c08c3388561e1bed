package org.ordersaga.saga;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Records the histories that {@link OrderWorkflowReplayTest} replays, one per outcome. Re-record only when a
 * workflow change is released together with its {@code Workflow.getVersion} branch; keep the old files as well, so
 * running sagas stay covered:
 * {@code ./mvnw -pl workflows test-compile exec:java -Dexec.mainClass=org.ordersaga.saga.RecordHistories
 * -Dexec.classpathScope=test -Dexec.cleanupDaemonThreads=false}
 */
public final class RecordHistories {

    static final Map<String, String> REJECTIONS = Map.of(
            "completed", "",
            "payment-declined", "charge",
            "address-unserviceable", "createShipment");

    private RecordHistories() {}

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args.length > 0 ? args[0] : "workflows/src/test/resources/histories");
        Files.createDirectories(folder);
        for (var outcome : REJECTIONS.entrySet()) {
            Files.writeString(folder.resolve(outcome.getKey() + ".json"), record(outcome.getKey(), outcome.getValue()));
        }
    }

    private static String record(String name, String rejectedMethod) {
        FakeServices services = new FakeServices();
        if (rejectedMethod.equals("charge")) {
            services.reject("charge", FailureTypes.PAYMENT_DECLINED);
        } else if (rejectedMethod.equals("createShipment")) {
            services.reject("createShipment", FailureTypes.ADDRESS_UNSERVICEABLE);
        }
        services.failNext("reserve", FakeServices.transientFailure());
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .registerSearchAttribute("OrderStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                .registerSearchAttribute("CustomerId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                .build())) {
            services.register(env, SagaSettings.DEFAULT);
            env.start();
            OrderRequest order = Orders.order(name);
            OrderWorkflow workflow = env.getWorkflowClient()
                    .newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
            WorkflowClient.start(workflow::process, order);
            WorkflowStub.fromTyped(workflow).getResult(SagaStatus.class);
            return env.getWorkflowClient().fetchHistory(OrderWorkflows.workflowId(order.orderId())).toJson(true);
        }
    }
}
