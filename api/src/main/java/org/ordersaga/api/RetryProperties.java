package org.ordersaga.api;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import org.ordersaga.saga.RetryPolicy;

/**
 * How new sagas retry one service's steps: {@code saga.retry.<service>.*}, e.g.
 * {@code SAGA_RETRY_PAYMENT_GIVE_UP_AFTER}. The API puts the policy in each saga's input when it starts it, so a
 * change applies to sagas started after it and never to a running one.
 */
@EachProperty("saga.retry")
record RetryProperties(
        @Parameter String name,
        @Bindable(defaultValue = "1s") Duration initialInterval,
        @Bindable(defaultValue = "2.0") double backoffCoefficient,
        @Bindable(defaultValue = "1m") Duration maximumInterval,
        @Bindable(defaultValue = "30s") Duration attemptTimeout,
        @Bindable(defaultValue = "5m") Duration giveUpAfter) {

    RetryPolicy policy() {
        return new RetryPolicy(initialInterval, backoffCoefficient, maximumInterval, attemptTimeout, giveUpAfter);
    }
}
