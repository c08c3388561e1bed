package org.ordersaga.api;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ordersaga.activity.DatabaseFailures;
import org.ordersaga.activity.ServiceActivities;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.db.TestDatabases;
import org.ordersaga.kafka.SharedKafka;
import org.ordersaga.kafka.TopicReader;
import org.ordersaga.local.DataSourceSettings;
import org.ordersaga.local.KafkaBroker;
import org.ordersaga.local.LocalIdentityProvider;
import org.ordersaga.local.LocalStack;
import org.ordersaga.local.LocalTemporal;
import org.ordersaga.local.PayloadKey;
import org.ordersaga.local.Ports;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.outbox.OutboxRelay;
import org.ordersaga.outbox.RelaySettings;
import org.ordersaga.payment.Charge;
import org.ordersaga.payment.ChargeRequest;
import org.ordersaga.payment.PaymentActivities;
import org.ordersaga.payment.RefundRequest;
import org.ordersaga.saga.OrderWorkflowImpl;
import org.ordersaga.saga.SagaService;
import org.ordersaga.temporal.PayloadEncryption;
import org.ordersaga.temporal.PayloadEncryptionProperties;
import org.ordersaga.temporal.TemporalConnection;

/**
 * Temporal reachable over gRPC on a port, with the real services as workers on real PostgreSQL and their outbox
 * relays publishing to the test JVM's Kafka broker, and an identity provider whose tokens the API trusts; the payment
 * worker holds charges of the customer {@value #SLOW_CUSTOMER} until {@link #releaseSlowCharges()}.
 */
final class SagaServer implements AutoCloseable {

    static final String SLOW_CUSTOMER = "cust-slow";

    final TestDatabases databases = TestDatabases.create();
    final KafkaBroker broker = SharedKafka.broker();
    final String topicPrefix = "a" + UUID.randomUUID().toString().substring(0, 8) + ".";
    final String target;
    final LocalIdentityProvider identity;
    /** A token of the operator, who may do everything. */
    final String operatorToken;
    /** The key the workers and the API encrypt Temporal's payloads with. */
    final PayloadKey payloadKey = PayloadKey.generate();
    /** The workers' meters: {@code DatabaseFailures} counts there. */
    final SimpleMeterRegistry workerMeters = new SimpleMeterRegistry();

    private final List<OutboxRelay> relays = new ArrayList<>();
    private volatile CountDownLatch slowCharges = new CountDownLatch(1);
    private final LocalTemporal server;
    private final WorkflowServiceStubs stubs;
    private final WorkerFactory workers;

    SagaServer() {
        server = LocalTemporal.testServer(Ports.free());
        target = server.target();
        identity = LocalIdentityProvider.start(LocalStack.freshDirectory(Path.of("target", "identity-" + topicPrefix)));
        operatorToken = identity.issuer().token("ops", true, Duration.ofHours(1));
        databases.execute(ServiceSchema.PAYMENT, "INSERT INTO accounts VALUES ('" + SLOW_CUSTOMER + "', 1000.00)");
        TopicReader.createTopics(broker.bootstrapServers(), EventTopics.all(topicPrefix));

        stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
        workers = WorkerFactory.newInstance(
                temporalClient(stubs),
                WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new DatabaseFailures(workerMeters))
                        .build());
        for (SagaService service : SagaService.values()) {
            Object activities = ServiceActivities.of(
                    service, databases.dataSource(ServiceSchema.of(service)), new SimpleMeterRegistry());
            workers.newWorker(service.taskQueue())
                    .registerActivitiesImplementations(
                            service == SagaService.PAYMENT
                                    ? new SlowForOneCustomer((PaymentActivities) activities)
                                    : activities);
        }
        workers.getWorker(SagaService.ORDERS.taskQueue()).registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
        workers.start();
        for (SagaService service : SagaService.values()) {
            relays.add(new OutboxRelay(
                            databases.dataSource(ServiceSchema.of(service)),
                            service,
                            OutboxRelay.producers(broker.bootstrapServers()),
                            RelaySettings.DEFAULT.withTopicPrefix(topicPrefix),
                            new SimpleMeterRegistry())
                    .start());
        }
    }

    /**
     * The API's configuration against this server, Kafka, the databases and the identity provider, on a free port,
     * with the payment retry policy its sagas carry shortened.
     */
    Map<String, String> apiProperties(String temporalTarget) {
        Map<String, String> properties = new HashMap<>();
        properties.put("micronaut.server.port", String.valueOf(Ports.free()));
        properties.put("saga.temporal.target", temporalTarget);
        properties.put("saga.retry.payment.maximum-interval", "1s");
        properties.put("saga.kafka.bootstrap-servers", broker.bootstrapServers());
        properties.put("saga.kafka.topic-prefix", topicPrefix);
        properties.put("saga.order-view.group-id", "order-view-" + topicPrefix);
        properties.put("saga.security.issuer", identity.issuer().issuer());
        properties.put("saga.security.jwks-url", identity.jwksUrl());
        properties.put("saga.payload-encryption.keys", payloadKey.entry());
        properties.put("saga.payload-encryption.key-id", payloadKey.id());
        properties.putAll(DataSourceSettings.api(databases.jdbcUrl()));
        return properties;
    }

    /** A client of this Temporal that encrypts and decrypts payloads as the workers and the API do. */
    WorkflowClient temporalClient(WorkflowServiceStubs stubs) {
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setDataConverter(dataConverter(payloadKey))
                        .build());
    }

    /** Payloads encrypted with {@code key} alone, as the processes {@code key} was given to encrypt them. */
    static DataConverter dataConverter(PayloadKey key) {
        return TemporalConnection.dataConverter(
                PayloadEncryption.of(new PayloadEncryptionProperties(List.of(key.entry()), key.id())));
    }

    /** Holds the slow customer's charges again, until the next {@link #releaseSlowCharges()}. */
    void holdSlowCharges() {
        slowCharges = new CountDownLatch(1);
    }

    void releaseSlowCharges() {
        slowCharges.countDown();
    }

    @Override
    public void close() {
        releaseSlowCharges();
        relays.forEach(OutboxRelay::close);
        workers.shutdownNow();
        stubs.shutdownNow();
        server.close();
        identity.close();
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
}
