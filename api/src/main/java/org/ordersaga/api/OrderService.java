package org.ordersaga.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.core.annotation.Nullable;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.SearchAttributes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.ordersaga.api.OrderBodies.Event;
import org.ordersaga.orderview.OrderView;
import org.ordersaga.orderview.OrderViewReadModel;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.OrderWorkflow;
import org.ordersaga.saga.OrderWorkflows;
import org.ordersaga.saga.PendingStep;
import org.ordersaga.saga.SagaPolicy;
import org.ordersaga.saga.SagaStatus;
import org.ordersaga.saga.TextRules;

/** Starts, reads and cancels order sagas; bad input never reaches Temporal. */
@Singleton
class OrderService {

    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7E]{1," + MAX_IDEMPOTENCY_KEY_LENGTH + "}");

    private final WorkflowClient temporal;
    private final SagaPolicy policy;
    private final IdempotencyKeys idempotencyKeys;
    private final OrderViewReadModel orderView;

    OrderService(
            WorkflowClient temporal, SagaPolicy policy, IdempotencyKeys idempotencyKeys, OrderViewReadModel orderView) {
        this.temporal = temporal;
        this.policy = policy;
        this.idempotencyKeys = idempotencyKeys;
        this.orderView = orderView;
    }

    /**
     * Starts the saga with this API's retry policy, fixed for its life; with a key, the same caller, key and request
     * give the same order and start nothing new. A customer who leaves {@code customerId} out orders for itself.
     */
    String place(Caller caller, OrderBodies.PlaceOrder body, @Nullable String idempotencyKey) {
        if (idempotencyKey != null && !VISIBLE_ASCII.matcher(idempotencyKey).matches()) {
            throw new ApiFailures.Invalid(
                    "invalid Idempotency-Key",
                    List.of("Idempotency-Key: 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " visible ASCII characters"));
        }
        if (body.customerId() == null && !caller.operator()) {
            body = body.withCustomerId(caller.subject());
        }
        OrderRequest order = body.toRequest(UUID.randomUUID().toString());
        if (!caller.actsFor(order.customerId())) {
            throw new ApiFailures.Forbidden(
                    "a customer places orders only for itself: customerId must be " + caller.subject() + " or absent");
        }
        if (idempotencyKey != null) {
            String orderId = idempotencyKeys.orderIdFor(caller, idempotencyKey, order, order.orderId());
            order = new OrderRequest(orderId, order.customerId(), order.items(), order.shippingAddress());
        }
        OrderWorkflow saga = temporal.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.startOptions(order));
        try {
            WorkflowClient.start(saga::process, order, policy);
        } catch (WorkflowExecutionAlreadyStarted repeated) {
            // the same idempotency key again: this order is already under way
        } catch (WorkflowServiceException e) {
            throw unavailableOr(e, "the workflow service is unavailable; nothing was started, try again");
        }
        return order.orderId();
    }

    /**
     * A finished order from the order view, which keeps it after Temporal's retention has removed the workflow and
     * costs no Temporal call; a running one from the saga itself, with how Temporal is doing with the activities it
     * runs or retries now.
     */
    OrderBodies.Order order(Caller caller, String orderId) {
        OrderViewReadModel.Order seen = orderView.order(orderId);
        List<Event> events = seen.timeline().stream()
                .map(event -> new Event(event.type().typeName(), event.occurredAt()))
                .toList();
        if (seen.view() != null && seen.view().finished()) {
            requireVisible(caller, seen.view().customerId(), orderId);
            return OrderBodies.Order.of(seen.view(), events);
        }
        SagaStatus saga = status(caller, orderId);
        List<PendingStep> pending = fromTemporal(
                orderId,
                () -> PendingStep.of(temporal.newUntypedWorkflowStub(OrderWorkflows.workflowId(orderId))
                        .describe()
                        .getRawDescription()));
        return OrderBodies.Order.of(saga, pending, events);
    }

    private SagaStatus status(Caller caller, String orderId) {
        SagaStatus status = fromTemporal(orderId, () -> saga(orderId).status());
        requireVisible(caller, status.customerId(), orderId);
        return status;
    }

    /** Another customer's order is answered as no order at all, so order ids do not leak. */
    private static void requireVisible(Caller caller, String customerId, String orderId) {
        if (!caller.actsFor(customerId)) {
            throw new ApiFailures.NotFound("no order " + orderId);
        }
    }

    /** Reads an order's saga: an unknown order is a 404, Temporal or the orders workers being down a 503. */
    private static <T> T fromTemporal(String orderId, Supplier<T> read) {
        try {
            return read.get();
        } catch (WorkflowNotFoundException e) {
            throw new ApiFailures.NotFound("no order " + orderId);
        } catch (WorkflowServiceException e) {
            // a running saga's state is answered by the orders service's workers, which run the saga, so its outage
            // looks the same
            throw unavailableOr(
                    e,
                    "the order's state cannot be read now: Temporal or the orders workers are"
                            + " unavailable; try again");
        }
    }

    void cancel(Caller caller, String orderId, @Nullable String reason) {
        List<String> problems = TextRules.cancelReasonProblems(reason);
        if (!problems.isEmpty()) {
            throw new ApiFailures.Invalid("invalid cancel request", problems);
        }
        OrderView finished = orderView.order(orderId).view();
        if (finished != null && finished.finished()) {
            requireVisible(caller, finished.customerId(), orderId);
            throw new ApiFailures.Conflict("order " + orderId + " is already " + finished.status());
        }
        // who owns the saga and how far it is, from Temporal's record of it rather than a query: a query waits behind
        // the orders workers' backlog, which the update below already waits behind once
        WorkflowExecutionDescription saga = fromTemporal(
                orderId,
                () -> temporal.newUntypedWorkflowStub(OrderWorkflows.workflowId(orderId))
                        .describe());
        SearchAttributes attributes = saga.getTypedSearchAttributes();
        requireVisible(caller, attributes.get(OrderWorkflows.CUSTOMER_ID), orderId);
        OrderStatus status = OrderStatus.valueOf(attributes.get(OrderWorkflows.ORDER_STATUS));
        if (status.isTerminal()) {
            throw new ApiFailures.Conflict("order " + orderId + " is already " + status);
        }
        try {
            saga(orderId).cancel(reason);
        } catch (WorkflowUpdateException refused) {
            throw new ApiFailures.Conflict(rootMessage(refused));
        } catch (WorkflowNotFoundException closed) {
            // the saga finished while the cancellation was on its way ("update was aborted by closing workflow")
            throw new ApiFailures.Conflict("order " + orderId + " finished before the cancellation reached it");
        } catch (WorkflowServiceException e) {
            // the request may still reach the saga; a repeat is safe (409 "already being compensated" if it did).
            // NOT_FOUND: the update was lost with a workflow task that failed (a worker overloaded or restarted).
            if (e.getCause() instanceof StatusRuntimeException grpc
                    && grpc.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw new ApiFailures.TemporalUnavailable("the cancellation could not be confirmed; try again", e);
            }
            throw unavailableOr(
                    e,
                    "the cancellation could not be confirmed: Temporal or the orders workers are"
                            + " unavailable; try again");
        }
    }

    private OrderWorkflow saga(String orderId) {
        return temporal.newWorkflowStub(OrderWorkflow.class, OrderWorkflows.workflowId(orderId));
    }

    /**
     * A 503 for what passes: Temporal unreachable or slow, or (FAILED_PRECONDITION, "no poller seen for task queue
     * recently") no orders worker polling to answer, as while one restarts.
     */
    private static RuntimeException unavailableOr(WorkflowServiceException e, String meaning) {
        if (e.getCause() instanceof StatusRuntimeException grpc) {
            Status.Code code = grpc.getStatus().getCode();
            if (code == Status.Code.UNAVAILABLE
                    || code == Status.Code.DEADLINE_EXCEEDED
                    || code == Status.Code.FAILED_PRECONDITION) {
                return new ApiFailures.TemporalUnavailable(meaning, e);
            }
        }
        return e;
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
