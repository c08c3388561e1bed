package org.ordersaga.saga;

import static org.ordersaga.saga.SagaStep.CHARGE_PAYMENT;
import static org.ordersaga.saga.SagaStep.COMPLETE_ORDER;
import static org.ordersaga.saga.SagaStep.CREATE_SHIPMENT;
import static org.ordersaga.saga.SagaStep.RECORD_ORDER;
import static org.ordersaga.saga.SagaStep.RESERVE_INVENTORY;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.util.List;
import org.ordersaga.inventory.InventoryActivities;
import org.ordersaga.inventory.ReleaseRequest;
import org.ordersaga.inventory.Reservation;
import org.ordersaga.inventory.ReserveRequest;
import org.ordersaga.orders.CompensatedOrder;
import org.ordersaga.orders.CompletedOrder;
import org.ordersaga.orders.OrderActivities;
import org.ordersaga.payment.ChargeRequest;
import org.ordersaga.payment.PaymentActivities;
import org.ordersaga.payment.RefundRequest;
import org.ordersaga.shipping.CancelShipmentRequest;
import org.ordersaga.shipping.Shipment;
import org.ordersaga.shipping.ShipmentRequest;
import org.ordersaga.shipping.ShippingActivities;
import org.slf4j.Logger;

/**
 * Each compensation is registered before its step runs: a step can take effect and still fail to report it (a
 * timeout), and every compensation is a no-op when its step never took effect.
 */
public class OrderWorkflowImpl implements OrderWorkflow {

    static final String TEXT_RULES = "text-rules";
    /** Replay-aware: a replayed saga does not log again what it logged when it first ran. */
    private static final Logger LOG = Workflow.getLogger(OrderWorkflowImpl.class);

    private final List<String> problems;
    /** Null when the order is invalid: no saga starts. */
    private final SagaProgress progress;

    /**
     * Runs before the saga and before any update: a cancellation delivered in the saga's first workflow task, before
     * {@link #process} has run, finds the saga's progress to go by.
     */
    @WorkflowInit
    public OrderWorkflowImpl(OrderRequest order, SagaPolicy policy) {
        // Sagas started before the text rules (no marker in their history) replay by the rules they were checked by.
        int rules = Workflow.getVersion(TEXT_RULES, Workflow.DEFAULT_VERSION, 1);
        problems = rules == Workflow.DEFAULT_VERSION ? order.firstReleaseProblems() : order.problems();
        progress = problems.isEmpty() ? new SagaProgress(order) : null;
    }

    @Override
    public SagaStatus process(OrderRequest order, SagaPolicy policy) {
        if (!problems.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(String.join("; ", problems), FailureTypes.INVALID_ORDER);
        }
        StepRunner steps = new StepRunner(policy == null ? SagaPolicy.DEFAULT : policy, progress, order.orderId());
        String workflowId = Workflow.getInfo().getWorkflowId();
        String reservationKey = RESERVE_INVENTORY.idempotencyKey(workflowId);
        String chargeKey = CHARGE_PAYMENT.idempotencyKey(workflowId);
        String shipmentKey = CREATE_SHIPMENT.idempotencyKey(workflowId);
        Saga saga = new Saga(new Saga.Options.Builder().build());
        try {
            saga.addCompensation(() -> steps.compensate(
                    RECORD_ORDER,
                    OrderActivities.class,
                    orders -> orders.recordCompensated(new CompensatedOrder(
                            order, progress.failure(), progress.stepsOnceCompensated(RECORD_ORDER)))));
            steps.run(RECORD_ORDER, OrderActivities.class, orders -> orders.recordPlaced(order));

            saga.addCompensation(() -> steps.compensate(
                    RESERVE_INVENTORY,
                    InventoryActivities.class,
                    inventory -> inventory.release(new ReleaseRequest(reservationKey, order.orderId()))));
            Reservation reservation = steps.call(
                    RESERVE_INVENTORY,
                    InventoryActivities.class,
                    inventory -> inventory.reserve(new ReserveRequest(reservationKey, order.orderId(), order.items())));
            progress.priced(reservation.total());

            saga.addCompensation(() -> steps.compensate(
                    CHARGE_PAYMENT,
                    PaymentActivities.class,
                    payment -> payment.refund(new RefundRequest(chargeKey, order.orderId()))));
            steps.run(
                    CHARGE_PAYMENT,
                    PaymentActivities.class,
                    payment -> payment.charge(
                            new ChargeRequest(chargeKey, order.orderId(), order.customerId(), reservation.total())));

            saga.addCompensation(() -> steps.compensate(
                    CREATE_SHIPMENT,
                    ShippingActivities.class,
                    shipping -> shipping.cancelShipment(new CancelShipmentRequest(shipmentKey, order.orderId()))));
            Shipment shipment = steps.call(
                    CREATE_SHIPMENT,
                    ShippingActivities.class,
                    shipping -> shipping.createShipment(
                            new ShipmentRequest(shipmentKey, order.orderId(), order.shippingAddress(), order.items())));

            // The shipment exists: from here the order completes, even if the workflow is cancelled meanwhile.
            Workflow.newDetachedCancellationScope(() -> steps.complete(
                            COMPLETE_ORDER,
                            OrderActivities.class,
                            orders -> orders.recordCompleted(
                                    new CompletedOrder(order.orderId(), reservation.total(), shipment.shipmentKey()))))
                    .run();
            progress.sagaCompleted();
            LOG.info("order {} completed", order.orderId());
        } catch (SagaAbortedException aborted) {
            compensate(saga, order.orderId(), aborted.failure());
        }
        return progress.snapshot();
    }

    private void compensate(Saga saga, String orderId, SagaFailure failure) {
        LOG.info("order {}: {} at {} ({}), compensating", orderId, failure.type(), failure.step(), failure.message());
        Workflow.newDetachedCancellationScope(() -> {
                    progress.sagaCompensating(failure);
                    saga.compensate();
                    progress.sagaCompensated();
                })
                .run();
    }

    @Override
    public SagaStatus status() {
        return progress().snapshot();
    }

    @Override
    public void validateCancel(String reason) {
        List<String> problems = TextRules.cancelReasonProblems(reason);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        progress().cancelRefusal().ifPresent(refusal -> {
            throw new IllegalStateException(refusal);
        });
    }

    @Override
    public SagaStatus cancel(String reason) {
        progress.requestCancel(reason);
        return progress.snapshot();
    }

    private SagaProgress progress() {
        if (progress == null) {
            throw new IllegalStateException(
                    "the saga never started: its order was rejected as " + FailureTypes.INVALID_ORDER);
        }
        return progress;
    }
}
