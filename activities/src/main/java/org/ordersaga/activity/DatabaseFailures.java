package org.ordersaga.activity;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import org.ordersaga.db.DataAccessException;
import org.ordersaga.saga.FailureTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an activity's database failure a stable Temporal failure type, so that the saga's retry options decide what
 * happens by type: {@code DataError} (not retried by a forward step; a compensation keeps retrying),
 * {@code ServiceUnavailable} (retried; does not spend a step's budget), anything else retried as it is. Every one is
 * counted in {@value #METRIC} by kind; a data error is also logged at ERROR, naming the order's workflow: it needs
 * an operator.
 */
public final class DatabaseFailures extends WorkerInterceptorBase {

    public static final String METRIC = "saga.activity.database.failures";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFailures.class);

    private final MeterRegistry meters;

    public DatabaseFailures(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
            private ActivityExecutionContext context;

            @Override
            public void init(ActivityExecutionContext context) {
                this.context = context;
                super.init(context);
            }

            @Override
            public ActivityOutput execute(ActivityInput input) {
                try {
                    return super.execute(input);
                } catch (DataAccessException failure) {
                    throw classified(context.getInfo(), failure);
                }
            }
        };
    }

    private RuntimeException classified(ActivityInfo activity, DataAccessException failure) {
        String type = switch (failure.kind()) {
            case DATA -> FailureTypes.DATA_ERROR;
            case UNAVAILABLE -> FailureTypes.SERVICE_UNAVAILABLE;
            case TRANSIENT -> null;
        };
        meters.counter(
                        METRIC,
                        "activity",
                        activity.getActivityType(),
                        "kind",
                        failure.kind().name())
                .increment();
        if (type == null) {
            return failure;
        }
        String message = "SQLSTATE " + failure.sqlState() + ": " + failure.getMessage();
        if (failure.kind() == DataAccessException.Kind.DATA) {
            LOG.error(
                    "{} for {} (attempt {}) cannot succeed until its data is fixed: {}",
                    activity.getActivityType(),
                    activity.getWorkflowId(),
                    activity.getAttempt(),
                    message);
        } else {
            LOG.warn(
                    "{} for {} (attempt {}): database unavailable: {}",
                    activity.getActivityType(),
                    activity.getWorkflowId(),
                    activity.getAttempt(),
                    message);
        }
        return ApplicationFailure.newFailureWithCause(message, type, failure);
    }
}
