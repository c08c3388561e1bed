package org.ordersaga.worker;

import java.util.Arrays;
import java.util.Locale;
import javax.sql.DataSource;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.inventory.InventoryActivitiesImpl;
import org.ordersaga.orders.OrderActivitiesImpl;
import org.ordersaga.payment.PaymentActivitiesImpl;
import org.ordersaga.saga.TaskQueues;
import org.ordersaga.shipping.ShippingActivitiesImpl;

/**
 * What a worker process can run, any subset: each service polls its own task queue with its own activities on its
 * own database ({@code datasources.<schema>}) and publishes its own outbox. The orchestrator also runs the saga
 * workflow; its service is the order record.
 */
enum SagaService {
    ORCHESTRATOR(TaskQueues.ORDER_SAGA, ServiceSchema.ORDERS),
    INVENTORY(TaskQueues.INVENTORY, ServiceSchema.INVENTORY),
    PAYMENT(TaskQueues.PAYMENT, ServiceSchema.PAYMENT),
    SHIPPING(TaskQueues.SHIPPING, ServiceSchema.SHIPPING);

    private final String taskQueue;
    private final ServiceSchema schema;

    SagaService(String taskQueue, ServiceSchema schema) {
        this.taskQueue = taskQueue;
        this.schema = schema;
    }

    static SagaService named(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(service -> service.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service '" + name.trim()
                        + "'; the services are orchestrator, inventory, payment, shipping"));
    }

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    String taskQueue() {
        return taskQueue;
    }

    ServiceSchema schema() {
        return schema;
    }

    /** The name of the datasource this service needs: {@code datasources.<name>.url}. */
    String dataSourceName() {
        return schema.schema();
    }

    Object activities(DataSource dataSource) {
        return switch (this) {
            case ORCHESTRATOR -> new OrderActivitiesImpl(dataSource);
            case INVENTORY -> new InventoryActivitiesImpl(dataSource);
            case PAYMENT -> new PaymentActivitiesImpl(dataSource);
            case SHIPPING -> new ShippingActivitiesImpl(dataSource);
        };
    }
}
