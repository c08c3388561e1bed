package org.ordersaga.saga;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.util.List;

/** What a client needs to start and find order sagas. */
public final class OrderWorkflows {

    /** Custom search attributes; both must be registered on the namespace as Keyword. */
    public static final SearchAttributeKey<String> ORDER_STATUS = SearchAttributeKey.forKeyword("OrderStatus");

    public static final SearchAttributeKey<String> CUSTOMER_ID = SearchAttributeKey.forKeyword("CustomerId");
    public static final List<SearchAttributeKey<String>> SEARCH_ATTRIBUTES = List.of(ORDER_STATUS, CUSTOMER_ID);

    private static final String WORKFLOW_ID_PREFIX = "order-";

    private OrderWorkflows() {}

    public static String workflowId(String orderId) {
        return WORKFLOW_ID_PREFIX + orderId;
    }

    /** The order a saga's workflow id names; the id itself if it names none. */
    public static String orderId(String workflowId) {
        return workflowId.startsWith(WORKFLOW_ID_PREFIX)
                ? workflowId.substring(WORKFLOW_ID_PREFIX.length())
                : workflowId;
    }

    /** Start options: one workflow per order id, ever, with its summary and search attributes set from the start. */
    public static WorkflowOptions startOptions(OrderRequest order) {
        return WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId(order.orderId()))
                .setTaskQueue(SagaService.ORDERS.taskQueue())
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setStaticSummary("Order " + order.orderId() + " for " + order.customerId() + ": "
                        + order.items().size() + " lines, " + order.itemCount() + " items")
                .setTypedSearchAttributes(SearchAttributes.newBuilder()
                        .set(CUSTOMER_ID, order.customerId())
                        .set(ORDER_STATUS, OrderStatus.PROCESSING.name())
                        .build())
                .build();
    }
}
