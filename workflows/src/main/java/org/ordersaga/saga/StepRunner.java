package org.ordersaga.saga;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the saga's activities with exponential backoff. Retries are driven here, one activity attempt per call,
 * rather than by the server's retry policy, because the saga must report each step's attempts and last error in
 * its status query, and a compensation that keeps failing must be visible while it retries; the server's retries
 * are invisible to workflow code. Each retry costs one timer in the history.
 */
final class StepRunner {

    private final SagaSettings settings;
    private final SagaProgress progress;
    private final String orderId;

    StepRunner(SagaSettings settings, SagaProgress progress, String orderId) {
        this.settings = settings;
        this.progress = progress;
        this.orderId = orderId;
    }

    /**
     * Runs a forward step. A business failure (non-retryable) aborts the saga at once; a transient one is retried
     * until the step's time budget is spent. A cancel request is honoured before each attempt and during waits.
     */
    <A> void run(SagaStep step, Class<A> activities, Consumer<A> call) {
        call(step, activities, stub -> {
            call.accept(stub);
            return null;
        });
    }

    /** Like {@link #run}, for a step whose result the saga needs. */
    <A, R> R call(SagaStep step, Class<A> activities, Function<A, R> call) {
        RetryPolicy policy = settings.retryPolicy(step);
        long giveUpAt = Workflow.currentTimeMillis() + policy.giveUpAfter().toMillis();
        for (int attempt = 1; ; attempt++) {
            abortIfCancelled(step);
            progress.attempting(step);
            Duration budget = Duration.ofMillis(Math.max(1_000, giveUpAt - Workflow.currentTimeMillis()));
            try {
                R result = call.apply(stub(activities, step, policy, budget, step.summary(orderId, attempt)));
                progress.done(step);
                return result;
            } catch (ActivityFailure failure) {
                String error = describe(failure);
                progress.attemptFailed(step, error);
                if (failure.getCause() instanceof ApplicationFailure business && business.isNonRetryable()) {
                    progress.rejected(step);
                    throw new SagaAbortedException(new SagaFailure(step, business.getType(),
                            business.getOriginalMessage()));
                }
                abortIfCancelled(step);
                Duration delay = policy.delayAfter(attempt);
                if (Workflow.currentTimeMillis() + delay.toMillis() >= giveUpAt) {
                    throw new SagaAbortedException(new SagaFailure(step, FailureTypes.RETRIES_EXHAUSTED,
                            "gave up after " + attempt + " attempts in " + policy.giveUpAfter() + "; last: " + error));
                }
                Workflow.await(delay, progress::cancelRequested);
            }
        }
    }

    /**
     * Undoes a step that may have taken effect; retries until it succeeds, because a saga must not stop half-undone.
     */
    <A> void compensate(SagaStep step, Class<A> activities, Consumer<A> undo) {
        if (!progress.mayHaveTakenEffect(step)) {
            return;
        }
        RetryPolicy policy = settings.retryPolicy(step);
        for (int attempt = 1; ; attempt++) {
            progress.compensationAttempting(step);
            try {
                undo.accept(stub(activities, step, policy, null, step.undoSummary(orderId, attempt)));
                progress.compensated(step);
                return;
            } catch (ActivityFailure failure) {
                progress.compensationFailed(step, describe(failure));
                Workflow.sleep(policy.delayAfter(attempt));
            }
        }
    }

    /** Runs a step past the point of no return: it cannot be compensated, so it retries until it succeeds. */
    <A> void complete(SagaStep step, Class<A> activities, Consumer<A> call) {
        RetryPolicy policy = settings.retryPolicy(step);
        for (int attempt = 1; ; attempt++) {
            progress.attempting(step);
            try {
                call.accept(stub(activities, step, policy, null, step.summary(orderId, attempt)));
                progress.done(step);
                return;
            } catch (ActivityFailure failure) {
                progress.attemptFailed(step, describe(failure));
                Workflow.sleep(policy.delayAfter(attempt));
            }
        }
    }

    private void abortIfCancelled(SagaStep step) {
        if (progress.cancelRequested()) {
            throw new SagaAbortedException(
                    new SagaFailure(step, FailureTypes.ORDER_CANCELLED, progress.cancelReason()));
        }
        if (CancellationScope.current().isCancelRequested()) {
            throw new SagaAbortedException(new SagaFailure(step, FailureTypes.ORDER_CANCELLED,
                    "workflow cancellation requested"));
        }
    }

    /**
     * One attempt per activity call. WAIT_CANCELLATION_COMPLETED keeps a cancelled workflow from compensating a
     * step while that step's attempt may still be committing.
     */
    private <A> A stub(Class<A> activities, SagaStep step, RetryPolicy policy, Duration scheduleToClose,
            String summary) {
        ActivityOptions.Builder options = ActivityOptions.newBuilder()
                .setTaskQueue(step.taskQueue())
                .setStartToCloseTimeout(policy.attemptTimeout())
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setSummary(summary);
        if (scheduleToClose != null) {
            options.setScheduleToCloseTimeout(scheduleToClose);
        }
        return Workflow.newActivityStub(activities, options.build());
    }

    private static String describe(ActivityFailure failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof ApplicationFailure application) {
            return application.getType() + ": " + application.getOriginalMessage();
        }
        if (cause instanceof TimeoutFailure timeout) {
            return "timed out (" + timeout.getTimeoutType() + ")";
        }
        return cause != null ? cause.getMessage() : failure.getMessage();
    }
}
