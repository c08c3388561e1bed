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
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.net.URI;
import org.ordersaga.api.OrderBodies.Accepted;
import org.ordersaga.api.OrderBodies.Order;
import org.ordersaga.saga.OrderStatus;

@Controller("/orders")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_AUTHENTICATED)
@SecurityRequirement(name = ApiApplication.BEARER)
@ApiResponse(
        responseCode = "401",
        description = ApiApplication.UNAUTHENTICATED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
class OrdersController {

    private final OrderService orders;
    private final OrderViews views;

    OrdersController(OrderService orders, OrderViews views) {
        this.orders = orders;
        this.views = views;
    }

    /**
     * Places an order: validates it and starts its saga.
     *
     * @param body what the customer orders and where it ships
     * @param idempotencyKey retries with the same key and body return the same order; a different body is refused
     * @return the order id and its status; {@code Location} is where to follow it
     */
    @Post
    @ApiResponse(
            responseCode = "202",
            description = "the saga started (or, for a repeated key, had started)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Accepted.class)))
    @ApiResponse(
            responseCode = "400",
            description = "invalid order, each offending field named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "403",
            description = "a customer's order for another customer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "the idempotency key was used with another body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "413",
            description = "body over 64 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "415",
            description = "not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "503",
            description = "Temporal (or, with a key, the API's database) unreachable;"
                    + " nothing started, retry after the header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    HttpResponse<Accepted> place(
            @Body OrderBodies.PlaceOrder body,
            @Parameter(
                            schema =
                                    @Schema(
                                            minLength = 1,
                                            maxLength = OrderService.MAX_IDEMPOTENCY_KEY_LENGTH,
                                            pattern = "^[\\x21-\\x7E]+$"))
                    @Nullable
                    @Header("Idempotency-Key")
                    String idempotencyKey,
            Authentication authentication) {
        String orderId = orders.place(Caller.of(authentication), body, idempotencyKey);
        return HttpResponse.<Accepted>status(HttpStatus.ACCEPTED)
                .headers(headers -> headers.location(URI.create("/orders/" + orderId)))
                .body(new Accepted(orderId, OrderStatus.PROCESSING.name()));
    }

    /**
     * Lists orders from the order view, newest first.
     *
     * @param status only orders in this status
     * @param customerId only this customer's orders; empty means any (a customer's list is of its own orders)
     * @param limit page size, default 20
     * @param cursor the {@code nextCursor} of the previous page; empty means the first page
     * @return one page and the cursor of the next, if any
     */
    @Get("{?status,customerId,limit,cursor}")
    @ApiResponse(
            responseCode = "200",
            description = "one page",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = OrderViews.Page.class)))
    @ApiResponse(
            responseCode = "400",
            description = "a parameter is invalid, each named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "403",
            description = "a customer asked for another customer's orders",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "503",
            description = "the API's database is unavailable; retry after the header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    OrderViews.Page list(
            @Parameter(
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {"PROCESSING", "COMPENSATING", "COMPLETED", "COMPENSATED"
                                            }))
                    @Nullable
                    OrderStatus status,
            @Nullable String customerId,
            @Parameter(schema = @Schema(minimum = "1", maximum = "" + OrderViews.MAX_LIMIT, defaultValue = "20"))
                    @Nullable
                    Integer limit,
            @Nullable String cursor,
            Authentication authentication) {
        return views.list(Caller.of(authentication), status, customerId, limit == null ? 20 : limit, cursor);
    }

    /**
     * The saga's live state merged with the order's event timeline.
     *
     * @param orderId the id {@code POST /orders} returned
     * @return status, steps with their attempts, failure, total and events
     */
    @Get("/{orderId}")
    @ApiResponse(
            responseCode = "200",
            description = "the order",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Order.class)))
    @ApiResponse(
            responseCode = "404",
            description = "no such order, or another customer's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "503",
            description =
                    "Temporal, the orders workers or the API's database is" + " unavailable; retry after the header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Order get(String orderId, Authentication authentication) {
        return orders.order(Caller.of(authentication), orderId);
    }

    /**
     * Asks the saga to cancel the order and undo what it did; possible until the shipment step starts.
     *
     * @param orderId the order to cancel
     * @param body an optional reason, recorded with the compensation
     */
    @Post("/{orderId}/cancel")
    @ApiResponse(responseCode = "202", description = "the saga accepted the cancellation and compensates")
    @ApiResponse(
            responseCode = "400",
            description = "the reason is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "404",
            description = "no such order, or another customer's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "too late (shipping started), already being compensated, or" + " finished",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "503",
            description = "not confirmed: Temporal or the orders workers are unavailable;" + " repeating is safe",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    HttpResponse<Void> cancel(String orderId, @Nullable @Body OrderBodies.Cancel body, Authentication authentication) {
        orders.cancel(Caller.of(authentication), orderId, body == null ? null : body.reason());
        return HttpResponse.accepted();
    }
}
