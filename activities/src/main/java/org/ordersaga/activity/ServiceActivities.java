package org.ordersaga.activity;

import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.ordersaga.inventory.InventoryActivitiesImpl;
import org.ordersaga.orders.OrderActivitiesImpl;
import org.ordersaga.payment.PaymentActivitiesImpl;
import org.ordersaga.saga.SagaService;
import org.ordersaga.shipping.ShippingActivitiesImpl;

/** Each service's activity implementation, on the service's own database. */
public final class ServiceActivities {

    private ServiceActivities() {}

    public static Object of(SagaService service, DataSource dataSource, MeterRegistry meters) {
        return switch (service) {
            case ORDERS -> new OrderActivitiesImpl(dataSource, meters);
            case INVENTORY -> new InventoryActivitiesImpl(dataSource);
            case PAYMENT -> new PaymentActivitiesImpl(dataSource);
            case SHIPPING -> new ShippingActivitiesImpl(dataSource);
        };
    }
}
