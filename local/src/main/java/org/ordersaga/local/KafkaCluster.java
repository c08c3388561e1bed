package org.ordersaga.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Kafka as the local stack and the tests run it: one broker, or a KRaft cluster of several on 127.0.0.1 whose every
 * node is broker and controller. From three nodes on, it is replicated as in production: every topic's partitions
 * (the internal ones too) on three brokers, and a write acknowledged ({@code acks=all}) once two of them have it, so
 * that it survives the loss of any one broker.
 */
public final class KafkaCluster {

    private final List<KafkaBroker> brokers;

    private KafkaCluster(List<KafkaBroker> brokers) {
        this.brokers = List.copyOf(brokers);
    }

    /**
     * Formats {@code size} brokers in {@code directory}/node-N, not started; the first listens on {@code port} (0
     * for a free one), the others on free ports.
     */
    public static KafkaCluster format(Path directory, int size, int port) {
        if (size < 1) {
            throw new IllegalArgumentException("a Kafka cluster has at least one broker, not " + size);
        }
        List<Integer> ports = IntStream.range(0, size)
                .mapToObj(node -> node == 0 && port != 0 ? port : Ports.free())
                .toList();
        List<Integer> controllerPorts =
                IntStream.range(0, size).mapToObj(node -> Ports.free()).toList();
        String voters = IntStream.range(0, size)
                .mapToObj(node -> (node + 1) + "@127.0.0.1:" + controllerPorts.get(node))
                .collect(Collectors.joining(","));
        String clusterId = KafkaBroker.newClusterId();
        int replicas = Math.min(size, 3);
        int minInSync = replicas >= 3 ? 2 : 1;
        List<KafkaBroker> brokers = new ArrayList<>();
        for (int node = 0; node < size; node++) {
            Path nodeDirectory = size == 1 ? directory : directory.resolve("node-" + (node + 1));
            try {
                brokers.add(new KafkaBroker(
                        nodeDirectory,
                        ports.get(node),
                        node + 1,
                        controllerPorts.get(node),
                        voters,
                        clusterId,
                        replicas,
                        minInSync));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the Kafka broker in " + nodeDirectory, e);
            }
        }
        return new KafkaCluster(brokers);
    }

    /** Starts every broker that is not running, then waits until each serves. */
    public void start() {
        brokers.forEach(KafkaBroker::launch);
        brokers.forEach(KafkaBroker::awaitReady);
    }

    /** Stops every broker. */
    public void stop() {
        brokers.forEach(KafkaBroker::stop);
    }

    public List<KafkaBroker> brokers() {
        return brokers;
    }

    public String bootstrapServers() {
        return brokers.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }
}
