package org.ordersaga.saga;

import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import org.ordersaga.shipping.CancelShipmentRequest;
import org.ordersaga.shipping.Shipment;
import org.ordersaga.shipping.ShipmentRequest;
import org.ordersaga.shipping.ShippingActivities;

/**
 * Scriptable stand-ins for the four services, each registered on its own task queue. Every call is logged by
 * method name; a method can be told to fail, to hang past its timeout, or to wait for the test.
 */
final class FakeServices {

    static final BigDecimal UNIT_PRICE = new BigDecimal("10.00");

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<CompensatedOrder> compensatedOrders = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<RuntimeException>> failures = new ConcurrentHashMap<>();
    private final Map<String, String> failingUntilStopped = new ConcurrentHashMap<>();
    private final Map<String, Duration> hangs = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    /** The next calls of {@code method} throw these, one per call, before doing anything. */
    FakeServices failNext(String method, RuntimeException... failures) {
        this.failures
                .computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>())
                .addAll(List.of(failures));
        return this;
    }

    FakeServices reject(String method, String type) {
        return failNext(method, ApplicationFailure.newNonRetryableFailure(method + " rejected", type));
    }

    /** Every call of {@code method} fails with a transient failure until {@link #stopFailing}. */
    FakeServices failUntilStopped(String method) {
        return failUntilStopped(method, TRANSIENT_FAULT);
    }

    /** Every call of {@code method} fails with a retryable failure of this type until {@link #stopFailing}. */
    FakeServices failUntilStopped(String method, String type) {
        failingUntilStopped.put(method, type);
        return this;
    }

    void stopFailing(String method) {
        failingUntilStopped.remove(method);
    }

    /** Calls of {@code method} sleep this long, so they outlive their attempt timeout. */
    FakeServices hang(String method, Duration duration) {
        hangs.put(method, duration);
        return this;
    }

    /** Calls of {@code method} wait until the returned latch is opened. */
    CountDownLatch gate(String method) {
        return gates.computeIfAbsent(method, m -> new CountDownLatch(1));
    }

    /** Waits until {@code method} has been called. */
    void awaitCall(String method) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count(method) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(method + " was not called within 20 s");
            }
            sleep(Duration.ofMillis(20));
        }
    }

    long count(String method) {
        return calls.stream().filter(method::equals).count();
    }

    static final String TRANSIENT_FAULT = "TransientFault";

    static RuntimeException transientFailure() {
        return ApplicationFailure.newFailure("connection reset", TRANSIENT_FAULT);
    }

    void register(TestWorkflowEnvironment env) {
        env.newWorker(SagaService.ORDERS.taskQueue()).registerActivitiesImplementations(orders);
        env.newWorker(SagaService.INVENTORY.taskQueue()).registerActivitiesImplementations(inventory);
        env.newWorker(SagaService.PAYMENT.taskQueue()).registerActivitiesImplementations(payment);
        env.newWorker(SagaService.SHIPPING.taskQueue()).registerActivitiesImplementations(shipping);
        env.getWorkerFactory()
                .getWorker(SagaService.ORDERS.taskQueue())
                .registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
    }

    private void enter(String method) {
        calls.add(method);
        CountDownLatch gate = gates.get(method);
        if (gate != null) {
            await(gate);
        }
        String failingType = failingUntilStopped.get(method);
        if (failingType != null) {
            throw ApplicationFailure.newFailure(method + " failed", failingType);
        }
        Queue<RuntimeException> scripted = failures.get(method);
        RuntimeException failure = scripted == null ? null : scripted.poll();
        if (failure != null) {
            throw failure;
        }
    }

    private void leave(String method) {
        Duration hang = hangs.get(method);
        if (hang != null) {
            sleep(hang);
        }
    }

    private static void await(CountDownLatch gate) {
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    final OrderActivities orders = new OrderActivities() {
        @Override
        public void recordPlaced(OrderRequest order) {
            enter("recordPlaced");
        }

        @Override
        public void recordCompleted(CompletedOrder order) {
            enter("recordCompleted");
        }

        @Override
        public void recordCompensated(CompensatedOrder order) {
            enter("recordCompensated");
            compensatedOrders.add(order);
        }
    };

    final InventoryActivities inventory = new InventoryActivities() {
        @Override
        public Reservation reserve(ReserveRequest request) {
            enter("reserve");
            Reservation reservation = new Reservation(
                    request.idempotencyKey(),
                    request.items().stream()
                            .map(item -> new ReservedLine(item.sku(), item.quantity(), UNIT_PRICE))
                            .toList());
            leave("reserve");
            return reservation;
        }

        @Override
        public void release(ReleaseRequest request) {
            enter("release");
        }
    };

    final PaymentActivities payment = new PaymentActivities() {
        @Override
        public Charge charge(ChargeRequest request) {
            enter("charge");
            leave("charge");
            return new Charge(request.idempotencyKey(), request.amount());
        }

        @Override
        public void refund(RefundRequest request) {
            enter("refund");
        }
    };

    final ShippingActivities shipping = new ShippingActivities() {
        @Override
        public Shipment createShipment(ShipmentRequest request) {
            enter("createShipment");
            leave("createShipment");
            return new Shipment(request.idempotencyKey(), "TRACK-" + request.orderId());
        }

        @Override
        public void cancelShipment(CancelShipmentRequest request) {
            enter("cancelShipment");
        }
    };
}
