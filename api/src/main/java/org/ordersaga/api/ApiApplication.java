package org.ordersaga.api;

import io.micronaut.runtime.Micronaut;

/** The REST API: starts, queries and cancels orders. */
public final class ApiApplication {

    private ApiApplication() {}

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ApiApplication.class).banner(false).start();
    }
}
