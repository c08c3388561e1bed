package org.ordersaga.chaos;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.HashMap;
import java.util.Map;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.OrderWorkflows;

/**
 * How every saga ended: its execution and {@code OrderStatus} from Temporal's visibility, its failure from the order's
 * own record.
 */
final class SagaOutcomes {

    private static final String NAMESPACE = "default";
    private static final String WORKFLOW_ID_PREFIX = OrderWorkflows.workflowId("");

    private SagaOutcomes() {}

    /** The sagas still running, by visibility. */
    static long running(WorkflowServiceStubs temporal) {
        return count(temporal, "ExecutionStatus=\"Running\"");
    }

    static long count(WorkflowServiceStubs temporal, String query) {
        return temporal.blockingStub()
                .countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setQuery(query)
                        .build())
                .getCount();
    }

    /** Every saga of the namespace, by order id. */
    static Map<String, SagaOutcome> read(WorkflowServiceStubs temporal, Sql sql) {
        Map<String, String> failureTypes =
                sql.byKey("orders", "SELECT order_id, coalesce(failure_type, '') FROM orders", row -> row.getString(2));
        Map<String, SagaOutcome> outcomes = new HashMap<>();
        ByteString page = ByteString.EMPTY;
        do {
            ListWorkflowExecutionsResponse response = temporal.blockingStub()
                    .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                            .setNamespace(NAMESPACE)
                            .setPageSize(1000)
                            .setNextPageToken(page)
                            .build());
            for (WorkflowExecutionInfo saga : response.getExecutionsList()) {
                String orderId = saga.getExecution().getWorkflowId().substring(WORKFLOW_ID_PREFIX.length());
                String failureType = failureTypes.get(orderId);
                outcomes.put(
                        orderId,
                        new SagaOutcome(
                                saga.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                                orderStatus(saga),
                                failureType == null || failureType.isEmpty() ? null : failureType));
            }
            page = response.getNextPageToken();
        } while (!page.isEmpty());
        return outcomes;
    }

    private static OrderStatus orderStatus(WorkflowExecutionInfo saga) {
        Payload status = saga.getSearchAttributes().getIndexedFieldsMap().get(OrderWorkflows.ORDER_STATUS.getName());
        return OrderStatus.valueOf(
                DefaultDataConverter.STANDARD_INSTANCE.fromPayload(status, String.class, String.class));
    }
}
