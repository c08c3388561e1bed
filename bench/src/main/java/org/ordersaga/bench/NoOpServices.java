package org.ordersaga.bench;

import java.math.BigDecimal;
import org.ordersaga.inventory.InventoryActivities;
import org.ordersaga.inventory.ReleaseRequest;
import org.ordersaga.inventory.Reservation;
import org.ordersaga.inventory.ReserveRequest;
import org.ordersaga.inventory.ReservedLine;
import org.ordersaga.orders.CompensatedOrder;
import org.ordersaga.orders.CompletedOrder;
import org.ordersaga.orders.OrderActivities;
import org.ordersaga.payment.Charge;
import org.ordersaga.payment.ChargeRequest;
import org.ordersaga.payment.PaymentActivities;
import org.ordersaga.payment.RefundRequest;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.shipping.CancelShipmentRequest;
import org.ordersaga.shipping.Shipment;
import org.ordersaga.shipping.ShipmentRequest;
import org.ordersaga.shipping.ShippingActivities;

/**
 * The four services with nothing behind them: every step succeeds at once, no database, no outbox, no Kafka. What
 * the saga costs in Temporal alone, the ceiling the real services are measured against.
 */
final class NoOpServices {

    private NoOpServices() {}

    static Object[] all() {
        return new Object[] {new Orders(), new Inventory(), new Payment(), new Shipping()};
    }

    static final class Orders implements OrderActivities {
        @Override
        public void recordPlaced(OrderRequest order) {}

        @Override
        public void recordCompleted(CompletedOrder order) {}

        @Override
        public void recordCompensated(CompensatedOrder order) {}
    }

    static final class Inventory implements InventoryActivities {
        @Override
        public Reservation reserve(ReserveRequest request) {
            return new Reservation(
                    request.idempotencyKey(),
                    request.items().stream()
                            .map(item -> new ReservedLine(item.sku(), item.quantity(), BigDecimal.ONE))
                            .toList());
        }

        @Override
        public void release(ReleaseRequest request) {}
    }

    static final class Payment implements PaymentActivities {
        @Override
        public Charge charge(ChargeRequest request) {
            return new Charge(request.idempotencyKey(), request.amount());
        }

        @Override
        public void refund(RefundRequest request) {}
    }

    static final class Shipping implements ShippingActivities {
        @Override
        public Shipment createShipment(ShipmentRequest request) {
            return new Shipment(request.idempotencyKey(), "BENCH-" + request.orderId());
        }

        @Override
        public void cancelShipment(CancelShipmentRequest request) {}
    }
}
