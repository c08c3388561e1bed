package org.ordersaga.api;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.ordersaga.inventory.InventoryReadModel;
import org.ordersaga.orderview.OrderViewReadModel;
import org.ordersaga.payment.PaymentReadModel;

/** What the API reads, each through its owner's read model, on the datasource of the owner's schema. */
@Factory
class ReadModels {

    @Singleton
    OrderViewReadModel orderView(@Named("orderview") DataSource view) {
        return new OrderViewReadModel(view);
    }

    @Singleton
    InventoryReadModel inventory(@Named("inventory") DataSource inventory) {
        return new InventoryReadModel(inventory);
    }

    @Singleton
    PaymentReadModel payment(@Named("payment") DataSource payment) {
        return new PaymentReadModel(payment);
    }
}
