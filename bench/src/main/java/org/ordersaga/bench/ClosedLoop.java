package org.ordersaga.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop load: a fixed number of clients, each sending its next request as soon as the last one answered,
 * after two unmeasured requests per client (connections opened, code paths compiled).
 */
final class ClosedLoop {

    interface Request {
        void send() throws Exception;
    }

    record Result(int requests, int clients, double perSecond, Latencies.Summary latency, int failed) {}

    private ClosedLoop() {}

    static Result run(int requests, int clients, Request request) throws Exception {
        for (int i = 0; i < 2 * clients; i++) {
            request.send();
        }
        Latencies latencies = new Latencies();
        AtomicInteger remaining = new AtomicInteger(requests);
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                loops.add(pool.submit(() -> {
                    while (remaining.getAndDecrement() > 0) {
                        long sent = System.nanoTime();
                        try {
                            request.send();
                            latencies.add(System.nanoTime() - sent);
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> loop : loops) {
                loop.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(
                requests,
                clients,
                Math.round(latencies.count() / seconds * 10) / 10.0,
                latencies.summary(),
                failed.get());
    }
}
