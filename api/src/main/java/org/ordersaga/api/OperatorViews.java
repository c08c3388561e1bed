package org.ordersaga.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.inject.Named;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.ordersaga.db.Transactions;

/**
 * Read-only views of the services' state for operators and demos. They read the inventory and payment schemas
 * directly, with their own (ideally read-only) logins: datasources {@code inventory} and {@code payment}.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class OperatorViews {

    @Serdeable
    record Stock(String sku, BigDecimal unitPrice, int available, int reserved) {}

    @Serdeable
    record Customer(String customerId, BigDecimal balance) {}

    private final Transactions inventory;
    private final Transactions payment;

    OperatorViews(@Named("inventory") DataSource inventory, @Named("payment") DataSource payment) {
        this.inventory = new Transactions(inventory);
        this.payment = new Transactions(payment);
    }

    /**
     * A catalog entry's stock: available to reserve, and held by active reservations.
     *
     * @param sku the catalog item
     * @return its price and stock
     */
    @Get("/inventory/{sku}")
    @ApiResponse(responseCode = "200", description = "found",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Stock.class)))
    @ApiResponse(responseCode = "404", description = "no such sku",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "the database is unavailable; retry after the header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Stock stock(String sku) {
        return inventory.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT c.unit_price, c.available, coalesce(sum(l.quantity) FILTER (WHERE r.status = 'ACTIVE'), 0)
                    FROM catalog c
                    LEFT JOIN reservation_lines l ON l.sku = c.sku
                    LEFT JOIN reservations r ON r.reservation_key = l.reservation_key
                    WHERE c.sku = ? GROUP BY c.unit_price, c.available""")) {
                select.setString(1, sku);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new ApiFailures.NotFound("no sku " + sku);
                    }
                    return new Stock(sku, row.getBigDecimal(1), row.getInt(2), row.getInt(3));
                }
            }
        });
    }

    /**
     * A customer's account balance, after every charge and refund.
     *
     * @param customerId the customer
     * @return the balance
     */
    @Get("/customers/{customerId}")
    @ApiResponse(responseCode = "200", description = "found",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Customer.class)))
    @ApiResponse(responseCode = "404", description = "no such customer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "the database is unavailable; retry after the header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Customer customer(String customerId) {
        return payment.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT balance FROM accounts WHERE customer_id = ?")) {
                select.setString(1, customerId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new ApiFailures.NotFound("no customer " + customerId);
                    }
                    return new Customer(customerId, row.getBigDecimal(1));
                }
            }
        });
    }
}
