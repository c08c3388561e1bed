package org.ordersaga.worker;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.bind.annotation.Bindable;
import org.ordersaga.faults.FaultInjection;

/**
 * Faults injected into one service's activities, for tests and demos: {@code saga.faults.<service>.mode}
 * ({@code BEFORE} or {@code AFTER_COMMIT}) and {@code .rate} (0 to 1), e.g. {@code SAGA_FAULTS_PAYMENT_RATE=0.2}.
 */
@EachProperty("saga.faults")
record FaultProperties(
        @Parameter String name,
        @Bindable(defaultValue = "BEFORE") FaultInjection.Mode mode,
        @Bindable(defaultValue = "0") double rate) {

    FaultInjection injection() {
        return new FaultInjection(mode, rate);
    }
}
