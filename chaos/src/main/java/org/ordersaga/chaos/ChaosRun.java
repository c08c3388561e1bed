package org.ordersaga.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A chaos run: orders of every kind arrive over HTTP at a steady rate while rounds of {@link Fault faults} strike
 * the stack, one every few seconds, with injected activity failures on top; then, once everything has settled, the
 * {@link SagaAudit audit}.
 */
final class ChaosRun {

    /** Enough clients that those repeating a request while the sagas stall keep no order from arriving. */
    private static final int CLIENTS = 32;

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
            List<PlacedOrder> placed = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            progress.accept("placing " + options.orders() + " orders at " + options.rate() + "/s, with faults ...");
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS, ChaosRun::daemon);
            List<Future<?>> requests = Collections.synchronizedList(new ArrayList<>());
            Thread arrivals = daemon(() -> arrive(stack, clients, requests, placed, audit));
            arrivals.start();
            List<String> timeline = new ArrayList<>();
            Map<String, Integer> blows = new TreeMap<>();
            strike(stack, start, timeline, blows);
            arrivals.join();
            for (Future<?> request : requests) {
                request.get();
            }
            clients.shutdown();
            Duration arrivalsTook = Duration.ofNanos(System.nanoTime() - start);
            progress.accept(placed.size() + " orders placed in " + arrivalsTook.toSeconds() + " s; settling ...");
            stack.awaitSettled(placed.size(), settleLimit());
            Duration settled = Duration.ofNanos(System.nanoTime() - start);
            progress.accept("settled after " + settled.toSeconds() + " s; auditing ...");
            SagaAudit.Result found = audit.audit(
                    stack.exitedOnTheirOwn(),
                    placed,
                    SagaOutcomes.read(stack.temporal(), sql),
                    before,
                    Books.read(sql),
                    stack.engines().kafka().bootstrapServers(),
                    settleLimit());
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

    private void arrive(
            ChaosStack stack,
            ExecutorService clients,
            List<Future<?>> requests,
            List<PlacedOrder> placed,
            SagaAudit audit) {
        long interval = (long) (1e9 / options.rate());
        long next = System.nanoTime();
        for (int n = 0; n < options.orders(); n++) {
            OrderKind kind = OrderKind.nth(n);
            int quantity = 1 + n % Stock.MAX_QUANTITY;
            requests.add(clients.submit(() -> {
                try {
                    placed.add(kind.place(stack.client(), quantity));
                } catch (RuntimeException e) {
                    audit.notAccepted(kind + ": " + e.getMessage());
                }
            }));
            next += interval;
            LockSupport.parkNanos(next - System.nanoTime());
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

    /** A thread that does not keep the JVM alive: a run that fails exits, and its stack stops. */
    private static Thread daemon(Runnable work) {
        Thread thread = new Thread(work);
        thread.setDaemon(true);
        return thread;
    }
}
