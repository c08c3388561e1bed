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
 *
 * <p>A step that must eventually succeed (a compensation, the completion record) may retry for days while a service
 * is down. Once its backoff has reached the maximum interval, each further try is a round of server-side retries at
 * that interval, up to {@link #PATIENT_ROUND} long, so the history grows by a few events an hour and not a dozen a
 * minute, and never reaches Temporal's history limit.
 */
final class StepRunner {

    static final Duration PATIENT_ROUND = Duration.ofHours(1);

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
                undo.accept(untilDoneStub(activities, step, policy, attempt, step.undoSummary(orderId, attempt)));
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
                call.accept(untilDoneStub(activities, step, policy, attempt, step.summary(orderId, attempt)));
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

    /** One attempt, waiting for a worker no longer than {@code scheduleToClose}. */
    private <A> A stub(Class<A> activities, SagaStep step, RetryPolicy policy, Duration scheduleToClose,
            String summary) {
        return Workflow.newActivityStub(activities, options(step, policy, summary)
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .setScheduleToCloseTimeout(scheduleToClose)
                .build());
    }

    /** One attempt while backing off; a patient round once the backoff has reached its maximum interval. */
    private <A> A untilDoneStub(Class<A> activities, SagaStep step, RetryPolicy policy, int attempt,
            String summary) {
        ActivityOptions.Builder options = options(step, policy, summary);
        if (attempt > 1 && policy.delayAfter(attempt - 1).equals(policy.maximumInterval())) {
            options.setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(policy.maximumInterval())
                            .setBackoffCoefficient(1.0)
                            .setMaximumInterval(policy.maximumInterval())
                            .setMaximumAttempts(0)
                            .build())
                    .setScheduleToCloseTimeout(PATIENT_ROUND);
        } else {
            options.setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build());
        }
        return Workflow.newActivityStub(activities, options.build());
    }

    /**
     * WAIT_CANCELLATION_COMPLETED keeps a cancelled workflow from compensating a step while that step's attempt may
     * still be committing.
     */
    private static ActivityOptions.Builder options(SagaStep step, RetryPolicy policy, String summary) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(step.taskQueue())
                .setStartToCloseTimeout(policy.attemptTimeout())
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setSummary(summary);
    }

    private static String describe(ActivityFailure failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof ApplicationFailure application) {
            return application.getType() + ": " + application.getOriginalMessage();
        }
        if (cause instanceof TimeoutFailure timeout) {
            String last = timeout.getCause() instanceof ApplicationFailure lastFailure
                    ? "; last: " + lastFailure.getType() + ": " + lastFailure.getOriginalMessage()
                    : "";
            return "timed out (" + timeout.getTimeoutType() + ")" + last;
        }
        return cause != null ? cause.getMessage() : failure.getMessage();
    }
}
