package org.ordersaga.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.ordersaga.local.OrdersClient;

/**
 * Orders of every kind ({@link OrderKind#nth}) arriving over HTTP at a steady pace, each placed by one of a pool of
 * idempotent, retrying clients, as a shop's traffic arrives whatever the service is going through. An order the API
 * never accepted goes to {@code refused}, with why. Its threads do not keep the JVM alive: a run that fails exits.
 */
final class Arrivals {

    /** Enough clients that those repeating a request while the sagas stall keep no order from arriving. */
    private static final int CLIENTS = 32;

    private final List<PlacedOrder> placed = Collections.synchronizedList(new ArrayList<>());
    private final List<Future<?>> requests = Collections.synchronizedList(new ArrayList<>());
    private final LongAccumulator slowestNanos = new LongAccumulator(Math::max, 0);
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS, Arrivals::daemon);
    private final Thread pacer;

    private Arrivals(OrdersClient client, int orders, Duration interval, Consumer<String> refused) {
        pacer = daemon(() -> {
            long next = System.nanoTime();
            for (int n = 0; n < orders; n++) {
                OrderKind kind = OrderKind.nth(n);
                int quantity = 1 + n % Stock.MAX_QUANTITY;
                requests.add(clients.submit(() -> {
                    try {
                        long start = System.nanoTime();
                        placed.add(kind.place(client, quantity));
                        slowestNanos.accumulate(System.nanoTime() - start);
                    } catch (RuntimeException e) {
                        refused.accept(kind + ": " + e.getMessage());
                    }
                }));
                next += interval.toNanos();
                LockSupport.parkNanos(next - System.nanoTime());
            }
        });
    }

    static Arrivals start(OrdersClient client, int orders, Duration interval, Consumer<String> refused) {
        Arrivals arrivals = new Arrivals(client, orders, interval, refused);
        arrivals.pacer.start();
        return arrivals;
    }

    /** How many orders the API has accepted so far. */
    int placed() {
        return placed.size();
    }

    /**
     * The longest a client took to have an order accepted, repeats and a cancellation included: the margin left to
     * the client's patience ({@link OrdersClient}'s three minutes for each request).
     */
    Duration slowest() {
        return Duration.ofNanos(slowestNanos.get());
    }

    /** Waits until every order has arrived and been placed or refused; returns those placed. */
    List<PlacedOrder> awaitAll(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        pacer.join(limit.toMillis());
        if (pacer.isAlive()) {
            throw new IllegalStateException("the orders had not all arrived within " + limit);
        }
        for (Future<?> request : requests) {
            request.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        clients.shutdown();
        return List.copyOf(placed);
    }

    private static Thread daemon(Runnable work) {
        Thread thread = new Thread(work, "arrivals");
        thread.setDaemon(true);
        return thread;
    }
}
