package org.ordersaga.saga;

import io.temporal.workflow.Workflow;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The saga's state as operators see it: answers the status query, and mirrors every status change to the
 * {@code OrderStatus} search attribute and the workflow's current details in the Web UI.
 */
final class SagaProgress {

    private static final class Step {
        StepState state = StepState.PENDING;
        boolean attempted;
        boolean rejected;
    }

    private final OrderRequest order;
    private final Map<SagaStep, Step> steps = new EnumMap<>(SagaStep.class);
    private OrderStatus status = OrderStatus.PROCESSING;
    private SagaFailure failure;
    private BigDecimal total;
    private String cancelReason;

    SagaProgress(OrderRequest order) {
        this.order = order;
        for (SagaStep step : SagaStep.values()) {
            steps.put(step, new Step());
        }
        // OrderWorkflows.startOptions sets these too; a saga started any other way (the CLI) gets them here.
        Workflow.upsertTypedSearchAttributes(
                OrderWorkflows.CUSTOMER_ID.valueSet(order.customerId()),
                OrderWorkflows.ORDER_STATUS.valueSet(status.name()));
        publishDetails();
    }

    void attempting(SagaStep step) {
        steps.get(step).attempted = true;
    }

    void done(SagaStep step) {
        steps.get(step).state = StepState.DONE;
    }

    /** The service refused the step for a business reason: it certainly took no effect. */
    void rejected(SagaStep step) {
        steps.get(step).rejected = true;
    }

    /** Attempted and not refused: an attempt may have committed even if it never reported back. */
    boolean mayHaveTakenEffect(SagaStep step) {
        Step progress = steps.get(step);
        return progress.attempted && !progress.rejected;
    }

    void priced(BigDecimal total) {
        this.total = total;
        publishDetails();
    }

    /** Steps interrupted mid-way are FAILED, steps never tried are SKIPPED. */
    void sagaCompensating(SagaFailure failure) {
        this.failure = failure;
        for (Step step : steps.values()) {
            if (step.state == StepState.PENDING) {
                step.state = step.attempted ? StepState.FAILED : StepState.SKIPPED;
            }
        }
        changeStatus(OrderStatus.COMPENSATING);
    }

    /** A step that failed keeps FAILED: its compensation only made sure no partial effect stayed behind. */
    void compensated(SagaStep step) {
        Step progress = steps.get(step);
        if (progress.state == StepState.DONE) {
            progress.state = StepState.COMPENSATED;
        }
    }

    /**
     * The steps as they will stand once {@code step}'s compensation is done, as {@link #compensated} will leave it:
     * the saga's final steps, for the record of its end written by that very compensation.
     */
    List<StepStatus> stepsOnceCompensated(SagaStep step) {
        return snapshot().steps().stream()
                .map(status -> status.step() == step && status.state() == StepState.DONE
                        ? new StepStatus(step, StepState.COMPENSATED)
                        : status)
                .toList();
    }

    void sagaCompleted() {
        changeStatus(OrderStatus.COMPLETED);
    }

    void sagaCompensated() {
        changeStatus(OrderStatus.COMPENSATED);
    }

    SagaFailure failure() {
        return failure;
    }

    BigDecimal total() {
        return total;
    }

    /**
     * Whether the saga must stop for a cancellation. One that arrives before the first step waits for the orders
     * service to have been asked to record the order, so that every order the API accepted is on record, cancelled
     * or not.
     */
    boolean cancelRequested() {
        return cancelReason != null && steps.get(SagaStep.RECORD_ORDER).attempted;
    }

    String cancelReason() {
        return cancelReason;
    }

    /** Why a cancel request must be refused now, if it must. (A closed workflow refuses updates itself.) */
    Optional<String> cancelRefusal() {
        if (status == OrderStatus.COMPENSATING || cancelReason != null) {
            return Optional.of("order is already being compensated");
        }
        if (steps.get(SagaStep.CREATE_SHIPMENT).attempted) {
            return Optional.of("too late to cancel: the shipment is already being created");
        }
        return Optional.empty();
    }

    void requestCancel(String reason) {
        cancelReason = reason == null || reason.isBlank() ? "cancelled on request" : reason;
    }

    SagaStatus snapshot() {
        List<StepStatus> stepStatuses = Arrays.stream(SagaStep.values())
                .map(step -> new StepStatus(step, steps.get(step).state))
                .toList();
        return new SagaStatus(order.orderId(), order.customerId(), status, stepStatuses, failure, total, cancelReason);
    }

    private void changeStatus(OrderStatus newStatus) {
        status = newStatus;
        Workflow.upsertTypedSearchAttributes(OrderWorkflows.ORDER_STATUS.valueSet(status.name()));
        publishDetails();
    }

    private void publishDetails() {
        String details = status + (total == null ? "" : " · total " + total.toPlainString());
        if (failure != null) {
            details += " · " + failure.step() + " " + failure.type() + ": " + failure.message();
        }
        Workflow.setCurrentDetails(details);
    }
}
