package org.ordersaga.saga;

import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A step's activity (or its compensation's) that Temporal is running or retrying, as
 * {@code DescribeWorkflowExecution} reports it: the same figures the Web UI shows.
 *
 * @param attempt the attempt running or next to run, from 1
 * @param lastFailureType the last attempt's failure type ({@code ServiceUnavailable}, {@code DataError}, ...), or null
 * @param nextAttemptAt when Temporal tries again, or null while an attempt runs
 */
public record PendingStep(
        SagaStep step,
        boolean compensation,
        int attempt,
        String lastFailureType,
        String lastFailureMessage,
        Instant nextAttemptAt) {

    public static List<PendingStep> of(DescribeWorkflowExecutionResponse description) {
        return description.getPendingActivitiesList().stream()
                .map(PendingStep::of)
                .flatMap(Optional::stream)
                .toList();
    }

    private static Optional<PendingStep> of(PendingActivityInfo activity) {
        String type = activity.getActivityType().getName();
        return Arrays.stream(SagaStep.values())
                .filter(step -> step.activityType().equals(type)
                        || step.undoActivityType().equals(Optional.of(type)))
                .findFirst()
                .map(step -> {
                    Failure last = activity.hasLastFailure() ? activity.getLastFailure() : null;
                    Instant next = activity.hasNextAttemptScheduleTime()
                            ? Instant.ofEpochSecond(
                                    activity.getNextAttemptScheduleTime().getSeconds(),
                                    activity.getNextAttemptScheduleTime().getNanos())
                            : null;
                    return new PendingStep(
                            step,
                            !step.activityType().equals(type),
                            activity.getAttempt(),
                            last == null ? null : typeOf(last),
                            last == null ? null : last.getMessage(),
                            next);
                });
    }

    /** An attempt of it has failed: it is retrying. */
    public boolean failing() {
        return lastFailureType != null;
    }

    private static String typeOf(Failure failure) {
        if (failure.hasApplicationFailureInfo()) {
            return failure.getApplicationFailureInfo().getType();
        }
        if (failure.hasTimeoutFailureInfo()) {
            return "Timeout "
                    + failure.getTimeoutFailureInfo().getTimeoutType().name().replace("TIMEOUT_TYPE_", "");
        }
        return failure.getFailureInfoCase().name();
    }
}
