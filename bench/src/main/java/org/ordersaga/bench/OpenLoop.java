package org.ordersaga.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: requests arrive at a fixed rate whether or not earlier ones have finished, as customers do, so a
 * system that falls behind shows it in its latency and unfinished count instead of slowing the arrivals down.
 * A warm-up at the same rate precedes the measured window; then it waits a while for the window's stragglers.
 */
final class OpenLoop {

    /** One request: blocks until accepted, then returns the future of its completion time ({@code nanoTime}). */
    interface Arrival {
        CompletableFuture<Long> start() throws Exception;
    }

    /** Told when the measured window begins and ends, on a thread of its own so that arrivals stay on time. */
    interface Meter {
        void begin();

        void end();
    }

    /**
     * @param completed completions inside the window
     * @param completedPerSecond completions inside the window, per second of it
     * @param unfinished window arrivals neither finished nor failed when the wait ended
     * @param failed arrivals that were refused or failed
     */
    record Result(
            double rate,
            int completed,
            double completedPerSecond,
            Latencies.Summary accepted,
            Latencies.Summary endToEnd,
            int arrivals,
            int unfinished,
            int failed) {

        /** It kept up when everything finished and completions matched arrivals within 10%. */
        boolean keptUp() {
            return unfinished == 0 && failed == 0 && completedPerSecond >= 0.9 * rate;
        }
    }

    private OpenLoop() {}

    static Result run(
            double rate, Duration warmup, Duration window, Duration drainLimit, Arrival arrival, Meter meter) {
        long interval = (long) (1e9 / rate);
        long begin = System.nanoTime();
        long windowStart = begin + warmup.toNanos();
        long windowEnd = windowStart + window.toNanos();
        Latencies accepted = new Latencies();
        Latencies endToEnd = new Latencies();
        AtomicInteger completedInWindow = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<Long>> measured = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(64);
        CompletableFuture<Void> measuring = CompletableFuture.runAsync(
                () -> {
                    sleepUntil(windowStart);
                    meter.begin();
                    sleepUntil(windowEnd);
                    meter.end();
                },
                clients);
        try {
            for (long due = begin; due < windowEnd; due += interval) {
                sleepUntil(due);
                boolean inWindow = due >= windowStart;
                CompletableFuture<Long> done = new CompletableFuture<>();
                if (inWindow) {
                    measured.add(done);
                }
                long scheduled = due;
                clients.execute(() -> {
                    try {
                        CompletableFuture<Long> completion = arrival.start();
                        long acceptedAt = System.nanoTime();
                        if (inWindow) {
                            // from when it was due: a client-side queue is part of what a caller waits for
                            accepted.add(acceptedAt - scheduled);
                        }
                        completion.whenComplete((completedAt, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                                done.completeExceptionally(error);
                                return;
                            }
                            if (completedAt >= windowStart && completedAt <= windowEnd) {
                                completedInWindow.incrementAndGet();
                            }
                            if (inWindow) {
                                endToEnd.add(completedAt - acceptedAt);
                            }
                            done.complete(completedAt);
                        });
                    } catch (Exception refused) {
                        failed.incrementAndGet();
                        done.completeExceptionally(refused);
                    }
                });
            }
            measuring.join();
            long drainDeadline = System.nanoTime() + drainLimit.toNanos();
            for (CompletableFuture<Long> done : measured) {
                try {
                    done.get(Math.max(1, drainDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception notInTime) {
                    // counted below
                }
            }
        } finally {
            clients.shutdownNow();
        }
        int unfinished = (int) measured.stream().filter(done -> !done.isDone()).count();
        return new Result(
                rate,
                completedInWindow.get(),
                Math.round(completedInWindow.get() / (window.toNanos() / 1e9) * 10) / 10.0,
                accepted.summary(),
                endToEnd.summary(),
                measured.size(),
                unfinished,
                failed.get());
    }

    /** Parks until {@code nanoTime}; a park may return early. */
    static void sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
