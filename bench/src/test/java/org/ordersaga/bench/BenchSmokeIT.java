package org.ordersaga.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every scenario, run for seconds with tiny counts: the report is written and its numbers are sane. No speed is
 * asserted: that is what the benchmark itself reports.
 */
class BenchSmokeIT {

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void everyScenarioReportsSaneFigures() throws Exception {
        Path out = Path.of("target", "bench-smoke").toAbsolutePath();
        new Bench(BenchOptions.parse(
                        "--rates=4",
                        "--jit-warmup=2s",
                        "--warmup=1s",
                        "--duration=4s",
                        "--relay-events=300",
                        "--relay-backlog=2000",
                        "--relay-paced-rate=100",
                        "--api-requests=20",
                        "--api-clients=2",
                        "--out=" + out,
                        "--worker-jar=" + System.getProperty("worker.jar"),
                        "--api-jar=" + System.getProperty("api.jar")))
                .run();

        assertTrue(Files.readString(out.resolve("report.md")).contains("## Outbox relay and the raw producer"));
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        for (String scenario : new String[] {"saga", "ceiling"}) {
            JsonNode step = report.path(scenario).path(0);
            JsonNode result = step.path("result");
            assertEquals(4.0, result.path("rate").asDouble(), scenario);
            // how many complete inside a few seconds' window is speed, which is not asserted (cold JVMs on a busy
            // machine take longer than the window): every arrival must finish, and be counted
            assertTrue(result.path("arrivals").asInt() > 0, scenario + " arrivals");
            assertEquals(0, result.path("unfinished").asInt(), scenario + " unfinished");
            assertTrue(result.path("completedPerSecond").isNumber(), scenario);
            assertEquals(0, result.path("failed").asInt(), scenario + " failures");
            assertLatencies(result.path("endToEnd"), scenario + " end to end");
            assertLatencies(result.path("accepted"), scenario + " accepted");
            step.path("cost").path("processes").forEach(usage -> {
                assertTrue(usage.path("peakRssMb").asLong() > 0, scenario + " " + usage);
                assertTrue(usage.path("cpuSeconds").asDouble() >= 0, scenario + " " + usage);
                assertTrue(
                        usage.path("jitCpuSeconds").asDouble() >= 0
                                && usage.path("jitCpuSeconds").asDouble()
                                        <= usage.path("cpuSeconds").asDouble(),
                        scenario + " " + usage);
            });
            // seconds after the JVMs started, their compiler threads are busy: they are found by name
            assertTrue(step.path("cost").path("jitCpuSeconds").asDouble() > 0, scenario + " JIT: " + step);
            assertTrue(
                    step.path("cost")
                                    .path("processes")
                                    .path("bench")
                                    .path("cpuSeconds")
                                    .asDouble()
                            > 0,
                    scenario);
            // every process that runs the Temporal SDK reports what it did in the window (how much is speed)
            step.path("cost")
                    .path("sdk")
                    .forEach(sdk -> assertTrue(
                            sdk.path("counts").path("temporal_request").isNumber(), scenario + " " + sdk));
            assertTrue(
                    report.path("profiles").path(scenario).path("bench").size() > 0,
                    scenario + " bench's top frames: " + report.path("profiles"));
        }
        JsonNode sagaCost = report.path("saga").path(0).path("cost");
        for (String process : new String[] {
            "worker orders", "worker inventory", "worker payment", "worker shipping", "api", "kafka", "postgresql"
        }) {
            assertTrue(sagaCost.path("processes").has(process), process + " measured: " + sagaCost);
        }
        assertEquals(5, sagaCost.path("sdk").size(), "the SDK of four workers and the API: " + sagaCost);
        // arrivals in the window mean workflow tasks started by the orders worker; on a busy machine a cold worker
        // may finish them only after the few seconds of the window, so their execution latency is not asserted
        assertTrue(
                sagaCost.path("sdk")
                                .path("worker orders")
                                .path("latencies")
                                .path("temporal_workflow_task_schedule_to_start_latency")
                                .path("count")
                                .asLong()
                        > 0,
                "workflow task latencies: " + sagaCost);
        assertTrue(sagaCost.path("database").path("commits").asLong() > 0, "PostgreSQL commits: " + sagaCost);
        for (String headline : new String[] {
            "sagaToCeiling",
            "relayDrainToSqlCycle",
            "relayPacedP99Ms",
            "rawProducerPacedP99Ms",
            "apiP99ToDirect",
            "sagaMaxPerSecond",
            "ceilingMaxPerSecond"
        }) {
            assertTrue(report.path(headline).isNumber(), headline + " at the top of report.json");
        }
        // CPU per saga needs completions inside both few-second windows, which is speed: a number when there were
        boolean bothCompleted =
                report.path("saga").path(0).path("result").path("completed").asInt() > 0
                        && report.path("ceiling")
                                        .path(0)
                                        .path("result")
                                        .path("completed")
                                        .asInt()
                                > 0;
        assertEquals(bothCompleted, report.path("cpuPerSagaToCeiling").isNumber(), report.toString());

        JsonNode relay = report.path("relay").path("result");
        assertEquals(300, relay.path("events").asInt());
        assertTrue(relay.path("relayPerSecond").asDouble() > 0
                && relay.path("rawPerSecond").asDouble() > 0);
        assertLatencies(relay.path("relayLatency"), "relay");
        assertLatencies(relay.path("rawLatency"), "raw producer");

        JsonNode drain = report.path("relayLimits").path("drain");
        assertEquals(2000, drain.path("rows").asInt());
        assertTrue(drain.path("relayPerSecond").asDouble() > 0
                && drain.path("sqlCyclePerSecond").asDouble() > 0);
        JsonNode paced = report.path("relayLimits").path("paced");
        assertEquals(400, paced.path("events").asInt(), "100/s for the 4 s window");
        assertLatencies(paced.path("relay"), "paced relay");
        assertLatencies(paced.path("relayMarked"), "paced relay, marked");
        // a row is marked after its record's ack: times from the JVM and from PostgreSQL line up
        assertTrue(
                paced.path("relay").path("p50").asDouble()
                        <= paced.path("relayMarked").path("p50").asDouble(),
                paced.toString());
        assertLatencies(paced.path("rawProducer"), "paced raw producer");
        assertEquals(400, paced.path("relay").path("count").asInt(), "every paced row published");
        // each phase says what every process spent, so that a relay short of its limit shows whether the cores were
        for (JsonNode spent : new JsonNode[] {
            drain.path("relaySpent"),
            drain.path("sqlCycleSpent"),
            paced.path("relaySpent"),
            paced.path("rawProducerSpent")
        }) {
            assertTrue(
                    spent.path("seconds").asDouble() > 0
                            && spent.path("coresBusy").isNumber(),
                    "" + spent);
            assertTrue(
                    spent.path("processes").has("postgresql")
                            && spent.path("processes").has("kafka"),
                    "" + spent);
        }
        // the paced phases last seconds, long enough for /proc's CPU ticks (a drain of 2,000 rows may not be)
        assertTrue(paced.path("relaySpent").path("coresBusy").asDouble() > 0, "paced: " + paced);
        assertTrue(paced.path("rawProducerSpent").path("coresBusy").asDouble() > 0, "paced: " + paced);

        JsonNode api = report.path("api");
        for (String way : new String[] {"viaApi", "direct"}) {
            assertEquals(0, api.path(way).path("failed").asInt(), way);
            assertTrue(api.path(way).path("perSecond").asDouble() > 0, way);
            assertLatencies(api.path(way).path("latency"), way);
        }
        assertTrue(report.path("temporal").asText().contains("server"), "which Temporal ran");
        assertEquals(2, report.path("tuning").path("workflowPollers").asInt());
    }

    private static void assertLatencies(JsonNode summary, String what) {
        double p50 = summary.path("p50").asDouble();
        double p95 = summary.path("p95").asDouble();
        double p99 = summary.path("p99").asDouble();
        assertTrue(summary.path("count").asInt() > 0, what + " has samples: " + summary);
        assertTrue(
                p50 > 0
                        && p50 <= p95
                        && p95 <= p99
                        && p99 <= summary.path("max").asDouble(),
                what + " percentiles ordered: " + summary);
    }
}
