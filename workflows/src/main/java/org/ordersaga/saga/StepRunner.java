package org.ordersaga.saga;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Calls the saga's activities with the options of the saga's {@link SagaPolicy}. Temporal runs the retries, with
 * exponential backoff: a forward step within its budget (schedule-to-close), not retrying its business rejections
 * or data errors; a compensation or the completion record until it succeeds. Each attempt's failure is on the
 * pending activity, where the Web UI and {@code DescribeWorkflowExecution} show it; the history records only the
 * last.
 */
final class StepRunner {

    /**
     * The change that reads a schedule-to-close timeout reported as non-retryable as a spent budget. Sagas that met
     * one before compensated, and replay so.
     */
    static final String BUDGET_TIMER_FIRED = "budget-timer-fired";

    private final SagaPolicy policy;
    private final SagaProgress progress;
    private final String orderId;

    StepRunner(SagaPolicy policy, SagaProgress progress, String orderId) {
        this.policy = policy;
        this.progress = progress;
        this.orderId = orderId;
    }

    /**
     * Runs a forward step. A business rejection, a data error or a spent budget aborts the saga. When the budget ran
     * out only because the service was unreachable all along (no worker took the step, or its last attempt timed
     * out or found its database down), the step is scheduled again with a fresh budget: an outage delays orders,
     * it does not compensate them.
     */
    <A> void run(SagaStep step, Class<A> activities, Consumer<A> call) {
        call(step, activities, stub -> {
            call.accept(stub);
            return null;
        });
    }

    /** Like {@link #run}, for a step whose result the saga needs. */
    <A, R> R call(SagaStep step, Class<A> activities, Function<A, R> call) {
        A stub = Workflow.newActivityStub(activities, forwardOptions(step));
        while (true) {
            abortIfCancelled(step);
            progress.attempting(step);
            try {
                R result = call.apply(stub);
                progress.done(step);
                return result;
            } catch (ActivityFailure failure) {
                if (!budgetSpentOnOutage(failure) || cancelReason(step).isPresent()) {
                    throw new SagaAbortedException(abortReason(step, failure));
                }
            }
        }
    }

    /** Undoes a step that may have taken effect; Temporal retries it until it succeeds. */
    <A> void compensate(SagaStep step, Class<A> activities, Consumer<A> undo) {
        if (!progress.mayHaveTakenEffect(step)) {
            return;
        }
        undo.accept(Workflow.newActivityStub(activities, untilDoneOptions(step, step.undoSummary(orderId))));
        progress.compensated(step);
    }

    /** Runs a step past the point of no return: it cannot be compensated, so it retries until it succeeds. */
    <A> void complete(SagaStep step, Class<A> activities, Consumer<A> call) {
        progress.attempting(step);
        call.accept(Workflow.newActivityStub(activities, untilDoneOptions(step, step.summary(orderId))));
        progress.done(step);
    }

    private void abortIfCancelled(SagaStep step) {
        Optional<SagaFailure> cancelled = cancelReason(step);
        if (cancelled.isPresent()) {
            throw new SagaAbortedException(cancelled.get());
        }
    }

    /** Why the saga must stop at {@code step} because the order or the workflow execution was cancelled, if so. */
    private Optional<SagaFailure> cancelReason(SagaStep step) {
        if (progress.cancelRequested()) {
            return Optional.of(new SagaFailure(step, FailureTypes.ORDER_CANCELLED, progress.cancelReason()));
        }
        if (CancellationScope.current().isCancelRequested()) {
            return Optional.of(new SagaFailure(step, FailureTypes.ORDER_CANCELLED, "workflow cancellation requested"));
        }
        return Optional.empty();
    }

    private static boolean budgetSpentOnOutage(ActivityFailure failure) {
        if (!budgetSpent(failure)) {
            return false;
        }
        Throwable last = lastAttemptFailure(failure);
        return last instanceof TimeoutFailure
                || last instanceof ApplicationFailure lastFailure
                        && FailureTypes.SERVICE_UNAVAILABLE.equals(lastFailure.getType());
    }

    /**
     * The step's budget ran out. Temporal says so with {@code RETRY_STATE_TIMEOUT}, except when the budget's own timer
     * fires, during an attempt or while no worker has taken the step: Temporal Server 1.29 reports that as a
     * {@code SCHEDULE_TO_CLOSE} timeout with {@code RETRY_STATE_NON_RETRYABLE_FAILURE} (temporalio/temporal#3667).
     */
    private static boolean budgetSpent(ActivityFailure failure) {
        if (failure.getRetryState() == RetryState.RETRY_STATE_TIMEOUT) {
            return true;
        }
        return failure.getCause() instanceof TimeoutFailure timeout
                && timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE
                && Workflow.getVersion(BUDGET_TIMER_FIRED, Workflow.DEFAULT_VERSION, 1) == 1;
    }

    /** What the step's service said outright (a rejection, a data error) comes first, then a cancel, then time. */
    private SagaFailure abortReason(SagaStep step, ActivityFailure failure) {
        if (failure.getRetryState() == RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE
                && failure.getCause() instanceof ApplicationFailure refused) {
            if (step.rejections().contains(refused.getType())) {
                progress.rejected(step);
            }
            return new SagaFailure(step, refused.getType(), refused.getOriginalMessage());
        }
        Optional<SagaFailure> cancelled = cancelReason(step);
        if (cancelled.isPresent()) {
            return cancelled.get();
        }
        if (budgetSpent(failure)) {
            return new SagaFailure(
                    step,
                    FailureTypes.RETRIES_EXHAUSTED,
                    "gave up after " + policy.retryPolicy(step).giveUpAfter() + "; last: "
                            + describe(lastAttemptFailure(failure)));
        }
        return new SagaFailure(step, FailureTypes.RETRIES_EXHAUSTED, describe(failure.getCause()));
    }

    /** The schedule-to-close timeout carries the last attempt's failure as its cause; none if no attempt started. */
    private static Throwable lastAttemptFailure(ActivityFailure failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof TimeoutFailure budget
                && budget.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE
                && budget.getCause() != null) {
            return budget.getCause();
        }
        return cause;
    }

    private static String describe(Throwable failure) {
        if (failure instanceof ApplicationFailure application) {
            return application.getType() + ": " + application.getOriginalMessage();
        }
        if (failure instanceof TimeoutFailure timeout) {
            return "timed out (" + timeout.getTimeoutType().name().replace("TIMEOUT_TYPE_", "") + ")";
        }
        return String.valueOf(failure);
    }

    private ActivityOptions forwardOptions(SagaStep step) {
        RetryPolicy retry = policy.retryPolicy(step);
        List<String> doNotRetry = new ArrayList<>(step.rejections());
        doNotRetry.add(FailureTypes.DATA_ERROR);
        return options(step, step.summary(orderId))
                .setScheduleToCloseTimeout(retry.giveUpAfter())
                .setRetryOptions(retry.retryOptions(doNotRetry.toArray(String[]::new)))
                .build();
    }

    private ActivityOptions untilDoneOptions(SagaStep step, String summary) {
        return options(step, summary)
                .setRetryOptions(policy.retryPolicy(step).retryOptions())
                .build();
    }

    /**
     * WAIT_CANCELLATION_COMPLETED keeps a cancelled saga from compensating a step while that step's attempt may
     * still be committing.
     */
    private ActivityOptions.Builder options(SagaStep step, String summary) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(step.service().taskQueue())
                .setStartToCloseTimeout(policy.retryPolicy(step).attemptTimeout())
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setSummary(summary);
    }
}
