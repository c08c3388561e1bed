package org.ordersaga.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.math.BigDecimal;
import org.ordersaga.inventory.InventoryReadModel;
import org.ordersaga.payment.PaymentReadModel;

/**
 * Read-only views of the services' state, through each service's own read model, with read-only logins on their
 * schemas: datasources {@code inventory} and {@code payment}. Stock is for operators; a balance for its customer too.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@SecurityRequirement(name = ApiApplication.BEARER)
@ApiResponse(
        responseCode = "401",
        description = ApiApplication.UNAUTHENTICATED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
class OperatorViews {

    @Serdeable
    record Stock(String sku, BigDecimal unitPrice, int available, int reserved) {}

    @Serdeable
    record Customer(String customerId, BigDecimal balance) {}

    private final InventoryReadModel inventory;
    private final PaymentReadModel payment;

    OperatorViews(InventoryReadModel inventory, PaymentReadModel payment) {
        this.inventory = inventory;
        this.payment = payment;
    }

    /**
     * A catalog entry's stock: available to reserve, and held by active reservations.
     *
     * @param sku the catalog item
     * @return its price and stock
     */
    @Get("/inventory/{sku}")
    @Secured(Caller.OPERATOR)
    @ApiResponse(
            responseCode = "200",
            description = "found",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Stock.class)))
    @ApiResponse(
            responseCode = "403",
            description = "not an operator",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "404",
            description = "no such sku",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "503",
            description = "the database is unavailable; retry after the header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Stock stock(String sku) {
        return inventory
                .stock(sku)
                .map(level -> new Stock(sku, level.unitPrice(), level.available(), level.reserved()))
                .orElseThrow(() -> new ApiFailures.NotFound("no sku " + sku));
    }

    /**
     * A customer's account balance, after every charge and refund.
     *
     * @param customerId the customer
     * @return the balance
     */
    @Get("/customers/{customerId}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @ApiResponse(
            responseCode = "200",
            description = "found",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Customer.class)))
    @ApiResponse(
            responseCode = "403",
            description = "a customer asked for another customer's balance",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "404",
            description = "no such customer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "503",
            description = "the database is unavailable; retry after the header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Customer customer(String customerId, Authentication authentication) {
        if (!Caller.of(authentication).actsFor(customerId)) {
            throw new ApiFailures.Forbidden("a customer reads only its own balance");
        }
        return payment.balance(customerId)
                .map(balance -> new Customer(customerId, balance))
                .orElseThrow(() -> new ApiFailures.NotFound("no customer " + customerId));
    }
}
