package org.ordersaga.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.math.BigDecimal;
import org.ordersaga.inventory.InventoryReadModel;
import org.ordersaga.payment.PaymentReadModel;

/**
 * Read-only views of the services' state for operators and demos, through each service's own read model, with
 * read-only logins on their schemas: datasources {@code inventory} and {@code payment}.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
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
    @ApiResponse(
            responseCode = "200",
            description = "found",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Stock.class)))
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
    @ApiResponse(
            responseCode = "200",
            description = "found",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Customer.class)))
    @ApiResponse(
            responseCode = "404",
            description = "no such customer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "503",
            description = "the database is unavailable; retry after the header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Customer customer(String customerId) {
        return payment.balance(customerId)
                .map(balance -> new Customer(customerId, balance))
                .orElseThrow(() -> new ApiFailures.NotFound("no customer " + customerId));
    }
}
