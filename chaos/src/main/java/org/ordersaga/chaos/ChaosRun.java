package org.ordersaga.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A chaos run: orders of every kind arrive over HTTP at a steady rate while rounds of {@link Fault faults} strike
 * the stack, one every few seconds, with injected activity failures on top; then, once everything has settled, the
 * {@link SagaAudit audit}.
 */
final class ChaosRun {

    private static final int ORDERS_PER_ROUND = 1000;

    /**
     * What a run did and found.
     *
     * @param timeline each blow, seconds from the first order
     * @param blows how many landed, by kind
     * @param injectedFailures activity attempts failed on purpose, from the workers' logs
     */
    record Result(
            ChaosOptions options,
            Instant startedAt,
            Duration took,
            Duration arrivals,
            Duration settled,
            List<String> timeline,
            Map<String, Integer> blows,
            long injectedFailures,
            SagaAudit.Result audit) {}

    private final ChaosOptions options;
    private final Path eventsMarkdown;
    private final Path temporalServerHome;
    private final Path temporalCli;
    private final Consumer<String> progress;

    /** {@code eventsMarkdown}: the event contract, {@code docs/events.md}, which the audit holds the topics to. */
    ChaosRun(
            ChaosOptions options,
            Path eventsMarkdown,
            Path temporalServerHome,
            Path temporalCli,
            Consumer<String> progress) {
        this.options = options;
        this.eventsMarkdown = eventsMarkdown;
        this.temporalServerHome = temporalServerHome;
        this.temporalCli = temporalCli;
        this.progress = progress;
    }

    Result run() throws Exception {
        Instant startedAt = Instant.now();
        try (ChaosStack stack = ChaosStack.start(
                options.out().resolve("stack"),
                1,
                options.workerJar(),
                options.apiJar(),
                options.workerSettings(),
                temporalServerHome,
                temporalCli,
                progress)) {
            Sql sql = new Sql(stack.jdbcUrl());
            Stock.seed(sql, options.orders());
            Books before = Books.read(sql);
            SagaAudit audit = new SagaAudit(sql, eventsMarkdown);
            long start = System.nanoTime();
            progress.accept("placing " + options.orders() + " orders at " + options.rate() + "/s, with faults ...");
            Arrivals arrivals = Arrivals.start(
                    stack.client(),
                    options.orders(),
                    Duration.ofNanos((long) (1e9 / options.rate())),
                    audit::notAccepted);
            List<String> timeline = new ArrayList<>();
            Map<String, Integer> blows = new TreeMap<>();
            strike(stack, start, timeline, blows);
            List<PlacedOrder> placed = arrivals.awaitAll(settleLimit());
            Duration arrivalsTook = Duration.ofNanos(System.nanoTime() - start);
            progress.accept(placed.size() + " orders placed in " + arrivalsTook.toSeconds() + " s; settling ...");
            stack.awaitSettled(placed.size(), settleLimit());
            Duration settled = Duration.ofNanos(System.nanoTime() - start);
            progress.accept("settled after " + settled.toSeconds() + " s; auditing ...");
            SagaAudit.Result found = audit.audit(stack, placed, before, settleLimit());
            return new Result(
                    options,
                    startedAt,
                    Duration.between(startedAt, Instant.now()),
                    arrivalsTook,
                    settled,
                    timeline,
                    blows,
                    InjectedFailures.count(stack.engines().logs()),
                    found);
        }
    }

    /** Rounds of blows spread over the arrivals, one round per thousand orders, the last blow before the last order. */
    private void strike(ChaosStack stack, long start, List<String> timeline, Map<String, Integer> blows) {
        int rounds = Math.max(1, options.orders() / ORDERS_PER_ROUND);
        List<Fault> faults = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            faults.addAll(Fault.round(round));
        }
        long arrivals = (long) (options.orders() / options.rate() * 1e9);
        long every = arrivals / (faults.size() + 1);
        for (int i = 0; i < faults.size(); i++) {
            LockSupport.parkNanos(start + every * (i + 1) - System.nanoTime());
            Fault fault = faults.get(i);
            double at = (System.nanoTime() - start) / 1e9;
            Fault.Struck struck = fault.strike(stack);
            String entry = "%.1f s: %s".formatted(at, struck.description());
            progress.accept(entry);
            timeline.add(entry);
            if (struck.landed()) {
                blows.merge(fault.kind(), 1, Integer::sum);
            }
        }
    }

    /** Time for the stack to catch up after the last order: a minute, and six more per thousand orders. */
    private Duration settleLimit() {
        return Duration.ofMinutes(1 + 6L * options.orders() / ORDERS_PER_ROUND);
    }
}
