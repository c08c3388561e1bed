package org.ordersaga.activity;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import org.ordersaga.saga.OrderWorkflows;
import org.slf4j.MDC;

/**
 * Puts the order id in the MDC of every activity, as {@value #ORDER_ID}, beside what the Temporal SDK puts there
 * itself ({@code WorkflowId}, {@code ActivityType}, {@code Attempt}): whatever an activity logs names its order.
 */
public final class OrderLogContext extends WorkerInterceptorBase {

    public static final String ORDER_ID = "orderId";

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
            private String workflowId;

            @Override
            public void init(ActivityExecutionContext context) {
                workflowId = context.getInfo().getWorkflowId();
                super.init(context);
            }

            @Override
            public ActivityOutput execute(ActivityInput input) {
                try (MDC.MDCCloseable order = MDC.putCloseable(ORDER_ID, OrderWorkflows.orderId(workflowId))) {
                    return super.execute(input);
                }
            }
        };
    }
}
