package org.ordersaga.api;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The REST API: starts, queries and cancels orders. */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "order-saga",
                        version = "0.1",
                        description =
                                "Places, follows and cancels orders whose consistency across inventory, payment and shipping"
                                        + " a Temporal saga keeps. Errors are application/problem+json."))
public final class ApiApplication {

    private ApiApplication() {}

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ApiApplication.class).banner(false).start();
    }
}
