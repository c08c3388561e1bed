package org.ordersaga.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The identity provider whose bearer tokens the API accepts ({@code saga.security.*}, {@code SAGA_SECURITY_*}); the
 * API's Micronaut Security settings in {@code application.yml} take their values from here. Issuer and JWKS have no
 * default: bound at startup, the API does not start without them.
 *
 * @param issuer the {@code iss} every token must carry, e.g. {@code https://login.example.com/realms/shop}
 * @param jwksUrl where the provider publishes its signing keys ({@code jwks_uri} of its OpenID configuration)
 * @param audience a value the token's {@code aud} must hold: this API's name at the provider
 */
@Context
@ConfigurationProperties("saga.security")
record SecurityProperties(
        String issuer,
        String jwksUrl,
        @Bindable(defaultValue = "order-saga") String audience) {}
