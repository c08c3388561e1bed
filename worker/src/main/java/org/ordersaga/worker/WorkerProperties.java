package org.ordersaga.worker;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * @param services which services this process runs ({@code --services=}, {@code SAGA_SERVICES})
 * @param demoData seed the demo catalog and customers when migrating ({@code SAGA_DEMO_DATA})
 * @param shutdownGrace how long in-flight activities may take to finish on shutdown ({@code SAGA_SHUTDOWN_GRACE})
 */
@ConfigurationProperties("saga")
record WorkerProperties(
        @Bindable(defaultValue = "orders,inventory,payment,shipping")
        List<String> services,

        @Bindable(defaultValue = "false") boolean demoData,
        @Bindable(defaultValue = "30s") Duration shutdownGrace) {}
