package org.ordersaga.saga;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The order saga: record the order, reserve inventory, charge payment, create the shipment, record completion;
 * when a step fails for good or the order is cancelled, undo what was done in reverse order. Workflow id
 * {@code order-<orderId>} (see {@link OrderWorkflows}), task queue {@code orders}.
 *
 * <p>Business cancellation goes through the {@link #cancel} update. Cancelling the workflow execution itself (an
 * operator in the Web UI) also compensates what was done, then the execution closes as Canceled; once the
 * shipment exists the saga completes regardless.
 */
@WorkflowInterface
public interface OrderWorkflow {

    /**
     * Runs the saga to its end and returns its final state, {@code COMPLETED} or {@code COMPENSATED}.
     *
     * @param policy how its steps retry, fixed for this saga's whole life; null for {@link SagaPolicy#DEFAULT}
     */
    @WorkflowMethod
    SagaStatus process(OrderRequest order, SagaPolicy policy);

    @QueryMethod
    SagaStatus status();

    /**
     * Asks the saga to stop and compensate. Accepted until the shipment step starts; refused after that with the
     * reason. The step in flight finishes (Temporal may still be retrying it), then the saga compensates; follow it
     * with {@link #status()}.
     */
    @UpdateMethod
    SagaStatus cancel(String reason);

    @UpdateValidatorMethod(updateName = "cancel")
    void validateCancel(String reason);
}
