package org.ordersaga.saga;

import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How Temporal retries one service's activities after a transient failure.
 *
 * @param initialInterval wait before the second attempt
 * @param backoffCoefficient each wait is this many times the previous one
 * @param maximumInterval no wait is longer than this
 * @param attemptTimeout how long one attempt may run (start-to-close)
 * @param giveUpAfter a forward step's budget (schedule-to-close): once it is spent failing, the saga compensates;
 *     compensations and the completion record ignore it and retry until they succeed
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

    /** Unlimited attempts with this backoff; failures of the {@code doNotRetry} types end the activity at once. */
    RetryOptions retryOptions(String... doNotRetry) {
        return RetryOptions.newBuilder()
                .setInitialInterval(initialInterval)
                .setBackoffCoefficient(backoffCoefficient)
                .setMaximumInterval(maximumInterval)
                .setMaximumAttempts(0)
                .setDoNotRetry(doNotRetry)
                .build();
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
