package org.ordersaga.worker;

import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.NoSuchBeanException;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.opentelemetry.api.OpenTelemetry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.opentracing.OpenTracingWorkerInterceptor;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.ordersaga.activity.DatabaseFailures;
import org.ordersaga.activity.OrderLogContext;
import org.ordersaga.activity.ServiceActivities;
import org.ordersaga.db.ServiceSchema;
import org.ordersaga.faults.FaultInjectingInterceptor;
import org.ordersaga.faults.FaultInjection;
import org.ordersaga.outbox.KafkaProperties;
import org.ordersaga.outbox.OutboxRelay;
import org.ordersaga.outbox.RelaySettings;
import org.ordersaga.saga.OrderWorkflowImpl;
import org.ordersaga.saga.SagaService;
import org.ordersaga.temporal.PayloadEncryption;
import org.ordersaga.temporal.PayloadEncryptionProperties;
import org.ordersaga.temporal.TemporalConnection;
import org.ordersaga.temporal.TemporalProperties;
import org.ordersaga.temporal.TemporalTracing;
import org.ordersaga.temporal.WorkerTuning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured services in this process: migrates each one's schema, polls its task queue and publishes
 * its outbox. On shutdown it stops polling, lets activities in flight finish within the grace period, then closes
 * the relays.
 */
@Context
final class ServiceWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceWorkers.class);

    private final WorkerProperties properties;
    private final Scope sdkMetrics;
    private final WorkflowServiceStubs temporal;
    private final WorkerFactory factory;
    private final List<OutboxRelay> relays = new ArrayList<>();

    ServiceWorkers(
            ApplicationContext context,
            WorkerProperties properties,
            TemporalProperties temporalProperties,
            PayloadEncryptionProperties payloadEncryption,
            KafkaProperties kafka,
            List<FaultProperties> faults,
            MeterRegistry meters,
            OpenTelemetry openTelemetry) {
        this.properties = properties;
        Set<SagaService> services = new LinkedHashSet<>();
        properties.services().forEach(name -> services.add(SagaService.named(name)));
        if (services.isEmpty()) {
            throw new IllegalArgumentException("no services to run: set --services= or SAGA_SERVICES");
        }
        Map<SagaService, DataSource> dataSources = new HashMap<>();
        for (SagaService service : services) {
            dataSources.put(service, dataSource(context, service));
        }

        sdkMetrics = TemporalConnection.metrics(meters);
        temporal = WorkflowServiceStubs.newServiceStubs(TemporalConnection.options(temporalProperties)
                .setMetricsScope(sdkMetrics)
                .build());
        WorkflowClient client = WorkflowClient.newInstance(
                temporal,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(temporalProperties.namespace())
                        .setDataConverter(TemporalConnection.dataConverter(PayloadEncryption.of(payloadEncryption)))
                        .build());
        WorkerTuning tuning = temporalProperties.tuning();
        factory = WorkerFactory.newInstance(
                client,
                tuning.factoryOptions()
                        .setWorkerInterceptors(interceptors(faults, meters, openTelemetry))
                        .build());
        RelaySettings relaySettings = kafka.relaySettings();
        WorkerOptions workerOptions = tuning.workerOptions();

        for (SagaService service : services) {
            DataSource dataSource = dataSources.get(service);
            ServiceSchema.of(service).migrate(dataSource, properties.demoData());
            Worker worker = factory.newWorker(service.taskQueue(), workerOptions);
            worker.registerActivitiesImplementations(ServiceActivities.of(service, dataSource, meters));
            if (service == SagaService.ORDERS) {
                worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
            }
            relays.add(new OutboxRelay(
                            dataSource, service, OutboxRelay.producers(kafka.bootstrapServers()), relaySettings, meters)
                    .start());
        }
        startOnceTemporalAnswers(temporalProperties.startupWait());
        LOG.info(
                "running {} against Temporal {} (namespace {}), Kafka {}",
                services,
                temporalProperties.target(),
                temporalProperties.namespace(),
                kafka.bootstrapServers());
    }

    /**
     * Starts polling. The factory's start asks Temporal for the namespace once and fails when nobody answers; a worker
     * (re)started while its server restarts tries again each second, up to {@code wait}, rather than exiting. (The
     * SDK's connection check, {@code connect(timeout)}, gave up after 6 s of a server restart, whatever the timeout.)
     */
    private void startOnceTemporalAnswers(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            try {
                factory.start();
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                if (!told) {
                    LOG.warn(
                            "Temporal does not answer ({}); trying again each second for up to {}",
                            e.getMessage(),
                            wait);
                    told = true;
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        Duration grace = properties.shutdownGrace();
        LOG.info("stopping: no new tasks, up to {} for activities in flight", grace);
        factory.shutdown();
        try {
            factory.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.warn("workers did not stop cleanly: {}", e.toString());
        }
        relays.forEach(OutboxRelay::close);
        temporal.shutdown();
        try {
            sdkMetrics.close();
        } catch (ScopeCloseException e) {
            LOG.warn("the Temporal SDK's metrics did not close cleanly: {}", e.toString());
        }
    }

    /** A service's datasource is named after it: {@code datasources.<service>.url}. */
    private static DataSource dataSource(ApplicationContext context, SagaService service) {
        try {
            return context.getBean(DataSource.class, Qualifiers.byName(service.id()));
        } catch (NoSuchBeanException e) {
            throw new IllegalArgumentException(
                    "service " + service.id() + " needs the datasource '" + service.id() + "': set datasources."
                            + service.id() + ".url (DATASOURCES_" + service.name() + "_URL)",
                    e);
        }
    }

    /** Fault injection is wired only when some service is given a fault rate; production runs without it. */
    private static WorkerInterceptor[] interceptors(
            List<FaultProperties> faults, MeterRegistry meters, OpenTelemetry openTelemetry) {
        WorkerInterceptor tracing = new OpenTracingWorkerInterceptor(TemporalTracing.options(openTelemetry));
        DatabaseFailures databaseFailures = new DatabaseFailures(meters);
        Map<String, FaultInjection> byTaskQueue = new HashMap<>();
        faults.stream()
                .filter(fault -> fault.rate() > 0)
                .forEach(
                        fault -> byTaskQueue.put(SagaService.named(fault.name()).taskQueue(), fault.injection()));
        if (byTaskQueue.isEmpty()) {
            return new WorkerInterceptor[] {tracing, new OrderLogContext(), databaseFailures};
        }
        LOG.warn("injecting faults into activities: {}", byTaskQueue);
        return new WorkerInterceptor[] {
            tracing, new OrderLogContext(), databaseFailures, new FaultInjectingInterceptor(byTaskQueue, new Random())
        };
    }
}
