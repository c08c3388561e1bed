package org.ordersaga.api;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** The REST API: starts, queries and cancels orders. */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "order-saga",
                        version = "0.1",
                        description =
                                "Places, follows and cancels orders whose consistency across inventory, payment and shipping"
                                        + " a Temporal saga keeps. Errors are application/problem+json. Every call"
                                        + " carries a bearer JWT: a customer's (its subject is the customer id) or an"
                                        + " operator's (role operator)."))
@SecurityScheme(name = ApiApplication.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public final class ApiApplication {

    static final String BEARER = "bearer";
    static final String UNAUTHENTICATED =
            "no bearer token, or one that is not valid: unsigned, badly signed, altered, expired, not yet valid, or"
                    + " for another issuer or audience";

    private ApiApplication() {}

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ApiApplication.class).banner(false).start();
    }
}
