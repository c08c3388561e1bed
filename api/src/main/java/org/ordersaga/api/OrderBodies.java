package org.ordersaga.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.ordersaga.saga.OrderItem;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.SagaFailure;
import org.ordersaga.saga.ShippingAddress;
import org.ordersaga.saga.StepStatus;

/** The JSON the API takes and gives. Fields may be missing on the way in: validation names each one. */
final class OrderBodies {

    private OrderBodies() {}

    @Serdeable
    record PlaceOrder(@Nullable String customerId, @Nullable List<Line> items, @Nullable Address shippingAddress) {

        OrderRequest toRequest(String orderId) {
            return new OrderRequest(orderId, customerId,
                    items == null ? null : items.stream().map(Line::toItem).toList(),
                    shippingAddress == null ? null : shippingAddress.toAddress());
        }
    }

    @Serdeable
    record Line(@Nullable String sku, @Nullable Integer quantity) {
        OrderItem toItem() {
            return new OrderItem(sku, quantity == null ? 0 : quantity);
        }
    }

    @Serdeable
    record Address(@Nullable String name, @Nullable String line1, @Nullable String city, @Nullable String postalCode,
            @Nullable String country) {
        ShippingAddress toAddress() {
            return new ShippingAddress(name, line1, city, postalCode, country);
        }
    }

    @Serdeable
    record Accepted(String orderId, String status) {}

    @Serdeable
    record Cancel(@Nullable String reason) {}

    @Serdeable
    record Event(String type, Instant occurredAt) {}

    @Serdeable
    record Step(String step, String state, int attempts, @Nullable String lastError, int compensationAttempts,
            @Nullable String lastCompensationError) {
        static Step of(StepStatus status) {
            return new Step(status.step().name(), status.state().name(), status.attempts(), status.lastError(),
                    status.compensationAttempts(), status.lastCompensationError());
        }
    }

    @Serdeable
    record Failure(@Nullable String step, String type, String message) {
        static Failure of(SagaFailure failure) {
            return failure == null ? null : new Failure(failure.step() == null ? null : failure.step().name(),
                    failure.type(), failure.message());
        }
    }

    @Serdeable
    record Order(String orderId, String customerId, String status, List<Step> steps, @Nullable Failure failure,
            @Nullable BigDecimal total, boolean compensationFailing, List<Event> events) {}
}
