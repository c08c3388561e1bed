package org.ordersaga.local;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code scripts/token.sh SUBJECT [--operator] [--hours=24] [--dir=.local-stack]}: prints a token for
 * {@code SUBJECT} (a customer id, or with {@code --operator} an operator's name) signed with the running local
 * stack's key.
 */
public final class MintToken {

    private static final String USAGE =
            "usage: scripts/token.sh SUBJECT [--operator] [--hours=24] [--dir=.local-stack]";

    private MintToken() {}

    public static void main(String[] arguments) {
        String subject = null;
        boolean operator = false;
        long hours = 24;
        Path directory = Path.of(".local-stack");
        try {
            for (String argument : arguments) {
                if (argument.equals("--operator")) {
                    operator = true;
                } else if (argument.startsWith("--hours=")) {
                    hours = Long.parseLong(argument.substring("--hours=".length()));
                } else if (argument.startsWith("--dir=")) {
                    directory = Path.of(argument.substring("--dir=".length()));
                } else if (!argument.startsWith("--") && subject == null && !argument.isBlank()) {
                    subject = argument;
                } else {
                    throw new IllegalArgumentException("unknown option " + argument);
                }
            }
            if (subject == null || hours < 1) {
                throw new IllegalArgumentException(
                        subject == null ? "SUBJECT is missing" : "--hours must be 1 or more");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        TokenIssuer issuer;
        try {
            issuer = TokenIssuer.load(
                    directory.resolve(LocalEngines.IDENTITY).resolve(LocalIdentityProvider.SAVED_ISSUER));
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println(issuer.token(subject, operator, Duration.ofHours(hours)));
    }
}
