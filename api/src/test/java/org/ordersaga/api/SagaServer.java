package org.ordersaga.api;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.inventory.InventoryActivitiesImpl;
import org.ordersaga.orders.OrderActivitiesImpl;
import org.ordersaga.payment.Charge;
import org.ordersaga.payment.ChargeRequest;
import org.ordersaga.payment.PaymentActivities;
import org.ordersaga.payment.PaymentActivitiesImpl;
import org.ordersaga.payment.RefundRequest;
import org.ordersaga.saga.OrderWorkflow;
import org.ordersaga.saga.OrderWorkflowImpl;
import org.ordersaga.saga.SagaSettings;
import org.ordersaga.saga.TaskQueues;
import org.ordersaga.shipping.ShippingActivitiesImpl;

/**
 * Temporal reachable over gRPC on a port, with the real services as workers on real PostgreSQL; the payment worker
 * holds charges of the customer {@value #SLOW_CUSTOMER} until {@link #releaseSlowCharges()}.
 */
final class SagaServer implements AutoCloseable {

    static final String SLOW_CUSTOMER = "cust-slow";

    final TestDatabases databases = TestDatabases.create();
    final String target;
    final CountDownLatch slowCharges = new CountDownLatch(1);
    private final TestServer.PortBoundTestServer server;
    private final WorkflowServiceStubs stubs;
    private final WorkerFactory workers;

    SagaServer() {
        int port = freePort();
        server = TestServer.createPortBoundServer(port, true);
        target = "127.0.0.1:" + port;
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
                OperatorServiceStubsOptions.newBuilder().setTarget(target).validateAndBuildWithDefaults());
        operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace("default")
                .putSearchAttributes("OrderStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                .putSearchAttributes("CustomerId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD).build());
        operator.shutdown();
        databases.execute(ServiceSchema.PAYMENT, "INSERT INTO accounts VALUES ('" + SLOW_CUSTOMER + "', 1000.00)");

        stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
        workers = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
        Worker orchestrator = workers.newWorker(TaskQueues.ORDER_SAGA);
        orchestrator.registerWorkflowImplementationFactory(OrderWorkflow.class,
                () -> new OrderWorkflowImpl(SagaSettings.DEFAULT));
        orchestrator.registerActivitiesImplementations(
                new OrderActivitiesImpl(databases.dataSource(ServiceSchema.ORDERS)));
        workers.newWorker(TaskQueues.INVENTORY).registerActivitiesImplementations(
                new InventoryActivitiesImpl(databases.dataSource(ServiceSchema.INVENTORY)));
        workers.newWorker(TaskQueues.PAYMENT).registerActivitiesImplementations(
                new SlowForOneCustomer(new PaymentActivitiesImpl(databases.dataSource(ServiceSchema.PAYMENT))));
        workers.newWorker(TaskQueues.SHIPPING).registerActivitiesImplementations(
                new ShippingActivitiesImpl(databases.dataSource(ServiceSchema.SHIPPING)));
        workers.start();
    }

    void releaseSlowCharges() {
        slowCharges.countDown();
    }

    @Override
    public void close() {
        releaseSlowCharges();
        workers.shutdownNow();
        stubs.shutdownNow();
        server.close();
        databases.close();
    }

    private final class SlowForOneCustomer implements PaymentActivities {
        private final PaymentActivities payments;

        SlowForOneCustomer(PaymentActivities payments) {
            this.payments = payments;
        }

        @Override
        public Charge charge(ChargeRequest request) {
            if (request.customerId().equals(SLOW_CUSTOMER)) {
                try {
                    slowCharges.await(25, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return payments.charge(request);
        }

        @Override
        public void refund(RefundRequest request) {
            payments.refund(request);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
