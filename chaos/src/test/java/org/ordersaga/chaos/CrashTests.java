package org.ordersaga.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.ordersaga.RealTemporal;
import org.ordersaga.local.LocalTemporal;

/** What the crash tests share: the product as deployed on the production Temporal server, and the audit's verdict. */
final class CrashTests {

    private CrashTests() {}

    /** The stack in {@code target/<directory>}, Kafka as {@code kafkaBrokers} brokers, from the packaged jars. */
    static ChaosStack start(String directory, int kafkaBrokers) {
        Optional<Path> cli = LocalTemporal.findCli();
        Optional<Path> serverHome = LocalTemporal.findServerHome();
        RealTemporal.require(cli.isPresent() && serverHome.isPresent());
        return ChaosStack.start(
                Path.of("target", directory),
                kafkaBrokers,
                Path.of(System.getProperty("worker.jar")),
                Path.of(System.getProperty("api.jar")),
                Map.of(),
                serverHome.orElseThrow(),
                cli.orElseThrow(),
                progress -> {});
    }

    /** The event contract the audit holds the topics to. */
    static SagaAudit audit(Sql sql) {
        return new SagaAudit(sql, Path.of("..", "docs", "events.md"));
    }

    /** No violation of any check; else each failed check with its examples. */
    static void assertNoViolations(SagaAudit.Result found) {
        assertEquals(
                0,
                found.violations().total(),
                () -> found.violations().counts().entrySet().stream()
                        .filter(check -> check.getValue() > 0)
                        .map(check -> check.getKey() + ": " + found.violations().examples(check.getKey()))
                        .toList()
                        .toString());
    }

    static double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }
}
