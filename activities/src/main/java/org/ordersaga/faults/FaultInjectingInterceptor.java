package org.ordersaga.faults;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.Random;

/**
 * Makes a share of activity calls fail with a retryable {@code InjectedFault}, per task queue (that is, per
 * service), around the real activity code, which knows nothing of it.
 */
public final class FaultInjectingInterceptor extends WorkerInterceptorBase {

    public static final String FAILURE_TYPE = "InjectedFault";

    private final Map<String, FaultInjection> faultsByTaskQueue;
    private final Random random;

    public FaultInjectingInterceptor(Map<String, FaultInjection> faultsByTaskQueue, Random random) {
        this.faultsByTaskQueue = Map.copyOf(faultsByTaskQueue);
        this.random = random;
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
                FaultInjection faults =
                        faultsByTaskQueue.getOrDefault(context.getInfo().getActivityTaskQueue(), FaultInjection.NONE);
                boolean fail = faults.rate() > 0 && random.nextDouble() < faults.rate();
                if (fail && faults.mode() == FaultInjection.Mode.BEFORE) {
                    throw injected("before");
                }
                ActivityOutput output = super.execute(input);
                if (fail) {
                    throw injected("after commit");
                }
                return output;
            }

            private ApplicationFailure injected(String when) {
                return ApplicationFailure.newFailure(
                        "injected fault " + when + " in " + context.getInfo().getActivityType(), FAILURE_TYPE);
            }
        };
    }
}
