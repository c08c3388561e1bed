package org.ordersaga.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ordersaga.RealTemporal;
import org.ordersaga.local.LocalTemporal;

/** The short chaos run CI repeats on every change: {@code scripts/chaos.sh --orders=300}, as the script runs it. */
@Tag("real-temporal")
class ChaosIT {

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void threeHundredOrdersThroughEveryKindOfCrashLeaveNoViolation() throws Exception {
        Optional<Path> cli = LocalTemporal.findCli();
        Optional<Path> serverHome = LocalTemporal.findServerHome();
        RealTemporal.require(cli.isPresent() && serverHome.isPresent());
        ChaosOptions options = ChaosOptions.parse(
                "--orders=300",
                "--out=" + Path.of("target", "chaos"),
                "--worker-jar=" + System.getProperty("worker.jar"),
                "--api-jar=" + System.getProperty("api.jar"));

        ChaosRun.Result result = new ChaosRun(
                        options,
                        Path.of("..", "docs", "events.md"),
                        serverHome.orElseThrow(),
                        cli.orElseThrow(),
                        System.out::println)
                .run();
        Path report = ChaosReport.write(result);
        System.out.println(Files.readString(report));

        assertEquals(0, result.audit().violations().total(), "violations; see " + report);
        assertEquals(
                300,
                result.audit().outcomes().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum());
        assertEquals(
                Set.of(
                        "worker orders SIGKILLed",
                        "worker inventory SIGKILLed",
                        "worker payment SIGKILLed",
                        "worker shipping SIGKILLed",
                        "Temporal server SIGKILLed",
                        "Kafka broker restarted",
                        "relay crashed between publish and mark"),
                result.blows().keySet(),
                "every kind of blow landed: " + result.timeline());
        assertTrue(result.injectedFailures() > 0, "activity attempts failed on purpose");
        assertTrue(
                result.audit().records() > result.audit().events(), "the crashed relay's events were published again");
    }
}
