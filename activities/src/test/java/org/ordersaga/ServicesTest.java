package org.ordersaga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ordersaga.activity.ServiceActivities;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.inventory.InventoryActivities;
import org.ordersaga.orders.OrderActivities;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.outbox.EventType;
import org.ordersaga.payment.PaymentActivities;
import org.ordersaga.saga.SagaService;
import org.ordersaga.saga.SagaStep;
import org.ordersaga.shipping.ShippingActivities;

/** Every list of services derives from {@link SagaService}, and each service's name is the same everywhere. */
class ServicesTest {

    private static final List<String> NAMES = List.of("orders", "inventory", "payment", "shipping");

    @Test
    void eachServiceHasOneNameForItsFlagTaskQueueSchemaAggregateAndTopic() {
        assertEquals(
                NAMES, Arrays.stream(SagaService.values()).map(SagaService::id).toList());
        for (SagaService service : SagaService.values()) {
            assertEquals(service, SagaService.named(service.id()));
            assertEquals(service.id(), service.taskQueue());
            assertEquals(service.id(), ServiceSchema.of(service).schema());
        }
        assertEquals(NAMES, EventTopics.AGGREGATE_TYPES);
        assertEquals(NAMES.stream().map(name -> name + ".events").toList(), EventTopics.all(""));
    }

    @Test
    void exactlyTheServicesSchemasHaveAnOutbox() {
        assertEquals(
                Set.of(ServiceSchema.ORDERS, ServiceSchema.INVENTORY, ServiceSchema.PAYMENT, ServiceSchema.SHIPPING),
                Arrays.stream(ServiceSchema.values())
                        .filter(ServiceSchema::hasOutbox)
                        .collect(Collectors.toSet()));
    }

    @Test
    void everyServiceRunsStepsPublishesEventsAndHasItsActivities() {
        Set<SagaService> all = new TreeSet<>(List.of(SagaService.values()));
        assertEquals(
                all,
                Arrays.stream(SagaStep.values()).map(SagaStep::service).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(
                all,
                Arrays.stream(EventType.values())
                        .map(EventType::service)
                        .collect(Collectors.toCollection(TreeSet::new)));
        assertInstanceOf(OrderActivities.class, ServiceActivities.of(SagaService.ORDERS, null, null));
        assertInstanceOf(InventoryActivities.class, ServiceActivities.of(SagaService.INVENTORY, null, null));
        assertInstanceOf(PaymentActivities.class, ServiceActivities.of(SagaService.PAYMENT, null, null));
        assertInstanceOf(ShippingActivities.class, ServiceActivities.of(SagaService.SHIPPING, null, null));
    }
}
