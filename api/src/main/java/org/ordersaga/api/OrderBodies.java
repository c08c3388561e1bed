package org.ordersaga.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ordersaga.orderview.OrderView;
import org.ordersaga.saga.OrderItem;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.PendingStep;
import org.ordersaga.saga.SagaFailure;
import org.ordersaga.saga.SagaStatus;
import org.ordersaga.saga.SagaStep;
import org.ordersaga.saga.ShippingAddress;
import org.ordersaga.saga.TextRules;

/**
 * The JSON the API takes and gives. Fields may be missing or wrong on the way in (hence {@code @Nullable}):
 * validation, by the same rules as the workflow's ({@link OrderRequest#problems()}), names each one. The schema
 * annotations state those rules in the OpenAPI document, where no field of a request may be null.
 */
final class OrderBodies {

    /** Not blank, no control characters: {@link TextRules}, as a JSON Schema pattern. */
    static final String TEXT = "^(?=.*\\S)[^\\u0000-\\u001F\\u007F-\\u009F]*$";

    private OrderBodies() {}

    @Serdeable
    record PlaceOrder(
            @Schema(
                    description = "the ordering customer; a customer may leave it out, an operator must send it",
                    requiredMode = RequiredMode.NOT_REQUIRED,
                    nullable = false,
                    minLength = 1,
                    pattern = TEXT,
                    maxLength = OrderRequest.MAX_ID_LENGTH)
            @Nullable
            String customerId,

            @ArraySchema(
                    minItems = 1,
                    maxItems = OrderRequest.MAX_LINES,
                    arraySchema = @Schema(description = "no sku twice"),
                    schema = @Schema(implementation = Line.class))
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = false)
            @Nullable
            List<Line> items,

            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = false) @Nullable
            Address shippingAddress) {

        PlaceOrder withCustomerId(String customerId) {
            return new PlaceOrder(customerId, items, shippingAddress);
        }

        /** The saga's input, or every problem with this body. */
        OrderRequest toRequest(String orderId) {
            List<String> problems = new ArrayList<>();
            List<OrderItem> lines = null;
            if (items != null) {
                lines = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    Line line = items.get(i);
                    lines.add(line == null ? null : line.toItem("items[" + i + "].quantity", problems));
                }
            }
            OrderRequest request = new OrderRequest(
                    orderId, customerId, lines, shippingAddress == null ? null : shippingAddress.toAddress());
            problems.addAll(request.problems());
            if (!problems.isEmpty()) {
                throw new ApiFailures.Invalid("invalid order", problems);
            }
            return request;
        }
    }

    @Serdeable
    record Line(
            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    nullable = false,
                    minLength = 1,
                    pattern = TEXT,
                    maxLength = OrderRequest.MAX_ID_LENGTH)
            @Nullable
            String sku,

            @Schema(
                    type = "integer",
                    requiredMode = RequiredMode.REQUIRED,
                    nullable = false,
                    minimum = "1",
                    maximum = "" + OrderRequest.MAX_QUANTITY)
            @Nullable
            BigDecimal quantity) {

        /** A quantity that is not a whole number is named here; one out of range by the order's rules. */
        OrderItem toItem(String field, List<String> problems) {
            if (quantity == null) {
                return new OrderItem(sku, 0);
            }
            try {
                return new OrderItem(sku, quantity.intValueExact());
            } catch (ArithmeticException notAnInt) {
                problems.add(field + ": must be a whole number between 1 and " + OrderRequest.MAX_QUANTITY);
                return new OrderItem(sku, 1);
            }
        }
    }

    @Serdeable
    record Address(
            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    nullable = false,
                    minLength = 1,
                    pattern = TEXT,
                    maxLength = OrderRequest.MAX_NAME_LENGTH)
            @Nullable
            String name,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    nullable = false,
                    minLength = 1,
                    pattern = TEXT,
                    maxLength = OrderRequest.MAX_LINE1_LENGTH)
            @Nullable
            String line1,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    nullable = false,
                    minLength = 1,
                    pattern = TEXT,
                    maxLength = OrderRequest.MAX_CITY_LENGTH)
            @Nullable
            String city,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    nullable = false,
                    minLength = 1,
                    pattern = TEXT,
                    maxLength = OrderRequest.MAX_POSTAL_CODE_LENGTH)
            @Nullable
            String postalCode,

            @Schema(
                    description = "ISO 3166-1 alpha-2",
                    requiredMode = RequiredMode.REQUIRED,
                    nullable = false,
                    pattern = "^[A-Z]{2}$")
            @Nullable
            String country) {
        ShippingAddress toAddress() {
            return new ShippingAddress(name, line1, city, postalCode, country);
        }
    }

    @Serdeable
    record Accepted(String orderId, String status) {}

    @Serdeable
    record Cancel(
            @Schema(
                    description = "why; recorded with the compensation",
                    nullable = true,
                    maxLength = TextRules.MAX_CANCEL_REASON_LENGTH)
            @Nullable
            String reason) {}

    @Serdeable
    record Event(String type, Instant occurredAt) {}

    /**
     * An activity Temporal is running or retrying for the step, as the Web UI shows it.
     *
     * @param attempt the attempt running or next to run
     * @param lastFailureType e.g. {@code ServiceUnavailable}, {@code DataError}; null before any attempt failed
     * @param nextAttemptAt when Temporal tries again; null while an attempt runs
     */
    @Serdeable
    record Activity(
            int attempt,
            @Nullable String lastFailureType,
            @Nullable String lastFailureMessage,
            @Nullable Instant nextAttemptAt) {
        static Activity of(PendingStep pending) {
            return pending == null
                    ? null
                    : new Activity(
                            pending.attempt(),
                            pending.lastFailureType(),
                            pending.lastFailureMessage(),
                            pending.nextAttemptAt());
        }
    }

    /**
     * @param activity the step's activity while Temporal runs or retries it
     * @param compensation its compensation's activity while Temporal runs or retries it
     */
    @Serdeable
    record Step(
            String step,
            String state,
            @Nullable Activity activity,
            @Nullable Activity compensation) {}

    @Serdeable
    record Failure(@Nullable String step, String type, String message) {
        static Failure of(SagaFailure failure) {
            return failure == null
                    ? null
                    : new Failure(
                            failure.step() == null ? null : failure.step().name(), failure.type(), failure.message());
        }
    }

    /** @param compensationFailing a compensation's last attempt failed and Temporal is retrying it */
    @Serdeable
    record Order(
            String orderId,
            String customerId,
            String status,
            List<Step> steps,
            @Nullable Failure failure,
            @Nullable BigDecimal total,
            boolean compensationFailing,
            List<Event> events) {

        /** A finished order as the order view has it: nothing is pending any more. */
        static Order of(OrderView finished, List<Event> events) {
            return new Order(
                    finished.orderId(),
                    finished.customerId(),
                    finished.status().name(),
                    finished.finalSteps().stream()
                            .map(step ->
                                    new Step(step.step().name(), step.state().name(), null, null))
                            .toList(),
                    finished.failureType() == null
                            ? null
                            : new Failure(finished.failedStep(), finished.failureType(), finished.failureReason()),
                    finished.total(),
                    false,
                    events);
        }

        static Order of(SagaStatus saga, List<PendingStep> pending, List<Event> events) {
            Map<SagaStep, PendingStep> running = new EnumMap<>(SagaStep.class);
            Map<SagaStep, PendingStep> undoing = new EnumMap<>(SagaStep.class);
            pending.forEach(activity -> (activity.compensation() ? undoing : running).put(activity.step(), activity));
            List<Step> steps = saga.steps().stream()
                    .map(step -> new Step(
                            step.step().name(),
                            step.state().name(),
                            Activity.of(running.get(step.step())),
                            Activity.of(undoing.get(step.step()))))
                    .toList();
            boolean compensationFailing = undoing.values().stream().anyMatch(PendingStep::failing);
            return new Order(
                    saga.orderId(),
                    saga.customerId(),
                    saga.status().name(),
                    steps,
                    Failure.of(saga.failure()),
                    saga.total(),
                    compensationFailing,
                    events);
        }
    }
}
