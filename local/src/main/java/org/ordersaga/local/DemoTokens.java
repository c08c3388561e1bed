package org.ordersaga.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One bearer token per demo principal, each in {@code <name>.jwt} holding the bare token: the customers
 * {@value #OK_CUSTOMER} and {@value #POOR_CUSTOMER}, and an operator. They outlive any run of the stack, whose key
 * signs them and dies with it.
 */
record DemoTokens(Path directory) {

    static final String OK_CUSTOMER = "cust-ok";
    static final String POOR_CUSTOMER = "cust-poor";
    static final String OPERATOR = "operator";
    static final Duration VALIDITY = Duration.ofDays(30);

    static DemoTokens write(TokenIssuer issuer, Path directory) {
        DemoTokens tokens = new DemoTokens(directory);
        tokens.save(OK_CUSTOMER, issuer.token(OK_CUSTOMER, false, VALIDITY));
        tokens.save(POOR_CUSTOMER, issuer.token(POOR_CUSTOMER, false, VALIDITY));
        tokens.save(OPERATOR, issuer.token(OPERATOR, true, VALIDITY));
        return tokens;
    }

    Path file(String name) {
        return directory.resolve(name + ".jwt");
    }

    String token(String name) {
        try {
            return Files.readString(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(name), e);
        }
    }

    private void save(String name, String token) {
        TokenIssuer.writeOwnerOnly(file(name), token);
    }
}
