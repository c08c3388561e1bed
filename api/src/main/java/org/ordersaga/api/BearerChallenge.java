package org.ordersaga.api;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.authentication.WwwAuthenticateChallengeProvider;
import jakarta.inject.Singleton;

/**
 * The {@code WWW-Authenticate} challenge (RFC 6750) of every 401: a bearer token is wanted and, when the request
 * sent one, it was not valid (unsigned, badly signed, altered, expired, not yet valid, or for another issuer or
 * audience). A valid token refused a path only operators may use (a 403) is told it lacks the privilege.
 */
@Singleton
final class BearerChallenge implements WwwAuthenticateChallengeProvider<HttpRequest<?>> {

    private final String challenge;

    /** The realm is the audience: the name tokens for this API carry. */
    BearerChallenge(SecurityProperties security) {
        this.challenge = "Bearer realm=\"" + security.audience() + "\"";
    }

    @Override
    public String getWwwAuthenticateChallenge(HttpRequest<?> request) {
        if (request.getUserPrincipal(Authentication.class).isPresent()) {
            return challenge + ", error=\"insufficient_scope\"";
        }
        return request.getHeaders().contains(HttpHeaders.AUTHORIZATION)
                ? challenge + ", error=\"invalid_token\""
                : challenge;
    }
}
