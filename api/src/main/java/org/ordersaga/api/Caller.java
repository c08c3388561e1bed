package org.ordersaga.api;

import io.micronaut.security.authentication.Authentication;

/**
 * Who sent the request, from their bearer token: an operator, whose token carries the role {@value #OPERATOR}, or
 * a customer, whose token's subject is its customer id.
 *
 * @param subject the token's subject: the customer id of a customer; idempotency keys are scoped by it
 */
record Caller(String subject, boolean operator) {

    static final String OPERATOR = "operator";

    static Caller of(Authentication authentication) {
        return new Caller(authentication.getName(), authentication.getRoles().contains(OPERATOR));
    }

    /** Whether this caller may see and act on the orders and the money of {@code customerId}. */
    boolean actsFor(String customerId) {
        return operator || subject.equals(customerId);
    }
}
