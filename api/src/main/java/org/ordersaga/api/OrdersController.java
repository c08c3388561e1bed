package org.ordersaga.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URI;
import org.ordersaga.api.OrderBodies.Accepted;
import org.ordersaga.api.OrderBodies.Order;
import org.ordersaga.saga.OrderStatus;
import org.ordersaga.saga.SagaStatus;

@Controller("/orders")
@ExecuteOn(TaskExecutors.BLOCKING)
class OrdersController {

    private final OrderService orders;
    private final OrderViews views;

    OrdersController(OrderService orders, OrderViews views) {
        this.orders = orders;
        this.views = views;
    }

    @Post
    HttpResponse<Accepted> place(@Body OrderBodies.PlaceOrder body,
            @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        String orderId = orders.place(body, idempotencyKey);
        return HttpResponse.<Accepted>status(HttpStatus.ACCEPTED)
                .headers(headers -> headers.location(URI.create("/orders/" + orderId)))
                .body(new Accepted(orderId, OrderStatus.PROCESSING.name()));
    }

    @Get("{?status,customerId,limit,cursor}")
    OrderViews.Page list(@Nullable String status, @Nullable String customerId, @Nullable Integer limit,
            @Nullable String cursor) {
        return views.list(status, customerId, limit == null ? 20 : limit, cursor);
    }

    @Get("/{orderId}")
    Order get(String orderId) {
        SagaStatus status = orders.status(orderId);
        return new Order(status.orderId(), status.customerId(), status.status().name(),
                status.steps().stream().map(OrderBodies.Step::of).toList(), OrderBodies.Failure.of(status.failure()),
                status.total(), status.compensationFailing(), orders.events(orderId));
    }

    @Post("/{orderId}/cancel")
    HttpResponse<Void> cancel(String orderId, @Nullable @Body OrderBodies.Cancel body) {
        orders.cancel(orderId, body == null ? null : body.reason());
        return HttpResponse.accepted();
    }
}
