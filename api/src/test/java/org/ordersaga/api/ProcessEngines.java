package org.ordersaga.api;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ordersaga.kafka.SharedKafka;
import org.ordersaga.kafka.TopicReader;
import org.ordersaga.local.ChildProcess;
import org.ordersaga.local.KafkaBroker;
import org.ordersaga.local.LocalIdentityProvider;
import org.ordersaga.local.LocalPostgres;
import org.ordersaga.local.LocalTemporal;
import org.ordersaga.local.OrdersClient;
import org.ordersaga.local.Ports;
import org.ordersaga.local.SagaProcesses;
import org.ordersaga.outbox.EventTopics;
import org.ordersaga.saga.SagaService;

/**
 * What the workers and the API need to run as processes from the packaged jars, for the tests that run them so,
 * beside the caller's PostgreSQL: the Temporal the caller chooses, topics of their own on the shared Kafka broker,
 * and an identity provider. What it starts, {@code launched} stops.
 *
 * @param processes starts the workers and the API, on those engines
 */
record ProcessEngines(SagaProcesses processes, LocalTemporal temporal, LocalIdentityProvider identity) {

    static ProcessEngines start(
            LocalTemporal.Choice temporalChoice,
            LocalPostgres postgres,
            String database,
            Path directory,
            Started launched)
            throws IOException {
        Path logs = Files.createDirectories(directory.resolve("logs"));
        LocalTemporal temporal = temporalChoice.start(
                Ports.free(), new LocalTemporal.WebUi(Ports.free(), Optional.empty()), postgres, directory, logs);
        launched.other(temporal);
        KafkaBroker kafka = SharedKafka.broker();
        String topicPrefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicReader.createTopics(kafka.bootstrapServers(), EventTopics.all(topicPrefix));
        LocalIdentityProvider identity = LocalIdentityProvider.start(directory.resolve("identity"));
        launched.other(identity);
        SagaProcesses processes = new SagaProcesses(
                        Path.of(System.getProperty("worker.jar")),
                        Path.of(System.getProperty("api.jar")),
                        postgres,
                        database,
                        temporal.target(),
                        kafka.bootstrapServers(),
                        identity,
                        logs)
                .withSettings(Map.of("SAGA_KAFKA_TOPIC_PREFIX", topicPrefix));
        return new ProcessEngines(processes, temporal, identity);
    }

    /** Starts a worker per service and the API, and waits until the API is healthy; returns the API's URL. */
    String startWorkersAndApi(Started launched) {
        for (SagaService service : SagaService.values()) {
            launched.process(processes.worker(service.id(), service.id()));
        }
        int apiPort = Ports.free();
        ChildProcess api = launched.process(processes.api(apiPort));
        String apiUrl = "http://127.0.0.1:" + apiPort;
        SagaProcesses.awaitHealthy(api, apiUrl);
        return apiUrl;
    }

    /** A client of Temporal that reads and writes payloads as these processes do, with their key. */
    WorkflowClient temporalClient(WorkflowServiceStubs stubs) {
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setDataConverter(SagaServer.dataConverter(processes.payloadKey()))
                        .build());
    }

    /** A customer's client of the API at {@code apiUrl}, with a token of this identity provider. */
    OrdersClient customer(String apiUrl, String customerId) {
        return new OrdersClient(apiUrl, identity.issuer().token(customerId, false, Duration.ofHours(1)));
    }
}
