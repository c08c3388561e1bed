package org.ordersaga.saga;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The saga's services, each known by one name everywhere: its worker flag ({@code --services=payment}), task queue,
 * PostgreSQL schema and datasource, outbox aggregate type, Kafka topic ({@code payment.events}) and retry settings
 * ({@code saga.retry.payment.*}). Each runs in worker processes of its own, deployed and scaled on its own.
 *
 * <p>There is no separate orchestrator: the orders service, which owns the order record, also runs the saga, so its
 * workers poll one task queue for the order workflow and the order record's activities.
 */
public enum SagaService {
    ORDERS,
    INVENTORY,
    PAYMENT,
    SHIPPING;

    /** The service's one name: {@code orders}, {@code inventory}, {@code payment} or {@code shipping}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String taskQueue() {
        return id();
    }

    /** The service of that name; the error lists the names there are. */
    public static SagaService named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(service -> service.id().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service '" + wanted + "'; the services are "
                        + Arrays.stream(values()).map(SagaService::id).collect(Collectors.joining(", "))));
    }
}
