package org.ordersaga.saga;

import java.time.Duration;
import java.util.Objects;

/**
 * How the saga retries one service's activities after a transient failure.
 *
 * @param initialInterval wait before the second attempt
 * @param backoffCoefficient each wait is this many times the previous one
 * @param maximumInterval no wait is longer than this
 * @param attemptTimeout how long one attempt may run (start-to-close)
 * @param giveUpAfter a forward step compensates once this much time has passed since its first attempt;
 *     compensations ignore it and retry until they succeed
 */
public record RetryPolicy(
        Duration initialInterval,
        double backoffCoefficient,
        Duration maximumInterval,
        Duration attemptTimeout,
        Duration giveUpAfter) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(
            Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofMinutes(5));

    public RetryPolicy {
        requirePositive("initialInterval", initialInterval);
        requirePositive("maximumInterval", maximumInterval);
        requirePositive("attemptTimeout", attemptTimeout);
        requirePositive("giveUpAfter", giveUpAfter);
        if (!(backoffCoefficient >= 1.0)) {
            throw new IllegalArgumentException("backoffCoefficient must be at least 1, was " + backoffCoefficient);
        }
        if (maximumInterval.compareTo(initialInterval) < 0) {
            throw new IllegalArgumentException("maximumInterval must not be shorter than initialInterval");
        }
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    public Duration delayAfter(int attempt) {
        double millis = initialInterval.toMillis() * Math.pow(backoffCoefficient, attempt - 1);
        return millis >= maximumInterval.toMillis() ? maximumInterval : Duration.ofMillis((long) millis);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
