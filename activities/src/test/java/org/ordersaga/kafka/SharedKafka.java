package org.ordersaga.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ordersaga.local.KafkaBroker;
import org.ordersaga.local.Ports;

/** The Kafka broker of a test JVM, started on first use and stopped when the JVM exits. */
public final class SharedKafka {

    private static KafkaBroker broker;

    private SharedKafka() {}

    /** Running (started again if a test stopped it); tests isolate themselves with their own topics. */
    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            try {
                Path directory = Files.createTempDirectory(Files.createDirectories(Path.of("target", "kafka")), "b-");
                broker = KafkaBroker.format(directory, Ports.free());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the Kafka broker", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
        }
        broker.start();
        return broker;
    }
}
