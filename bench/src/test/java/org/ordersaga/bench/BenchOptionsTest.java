package org.ordersaga.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ordersaga.temporal.WorkerTuning;

class BenchOptionsTest {

    @Test
    void withoutArgumentsTheDefaults() {
        assertEquals(BenchOptions.DEFAULTS, BenchOptions.parse());
    }

    @Test
    void eachGivenOptionReplacesItsDefaultAndOnlyThat() {
        BenchOptions options = BenchOptions.parse(
                "--rates=2,4.5",
                "--jit-warmup=7s",
                "--warmup=3s",
                "--relay-events=300",
                "--workflow-pollers=4",
                "--product-jvm-options=-XX:TieredStopAtLevel=4 -Xss1m",
                "--out=elsewhere");

        assertEquals(List.of(2.0, 4.5), options.rates());
        assertEquals(Duration.ofSeconds(7), options.jitWarmup());
        assertEquals(Duration.ofSeconds(3), options.warmup());
        assertEquals(300, options.relayEvents());
        assertEquals(new WorkerTuning(4, 2, 200, 200, 600), options.tuning());
        assertEquals("-XX:TieredStopAtLevel=4 -Xss1m", options.productJvmOptions());
        assertEquals(Path.of("elsewhere"), options.out());
        assertEquals(BenchOptions.DEFAULTS.duration(), options.duration());
        assertEquals(BenchOptions.DEFAULTS.apiJar(), options.apiJar());
    }

    @Test
    void aMistakeIsNamed() {
        assertEquals(
                "unknown option --speed",
                assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--speed=9"))
                        .getMessage());
        assertEquals(
                "--relay-events needs a number, not 'many'",
                assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--relay-events=many"))
                        .getMessage());
        assertEquals(
                "--warmup needs whole seconds like 20s, not '3'",
                assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--warmup=3"))
                        .getMessage());
    }
}
