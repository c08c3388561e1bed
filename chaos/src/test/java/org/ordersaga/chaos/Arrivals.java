package org.ordersaga.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ordersaga.local.OrdersClient;

/**
 * Orders of every kind ({@link OrderKind#nth}) arriving over HTTP at a steady pace, each placed by one of a pool of
 * idempotent, retrying clients, as a shop's traffic arrives whatever the service is going through.
 */
final class Arrivals {

    private final List<PlacedOrder> placed = Collections.synchronizedList(new ArrayList<>());
    private final List<Future<?>> requests = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService clients = Executors.newFixedThreadPool(32);
    private final Thread pacer;

    private Arrivals(OrdersClient client, int orders, Duration interval) {
        pacer = new Thread(
                () -> {
                    for (int n = 0; n < orders; n++) {
                        OrderKind kind = OrderKind.nth(n);
                        int quantity = 1 + n % Stock.MAX_QUANTITY;
                        requests.add(clients.submit(() -> placed.add(kind.place(client, quantity))));
                        LockSupport.parkNanos(interval.toNanos());
                    }
                },
                "arrivals");
    }

    static Arrivals start(OrdersClient client, int orders, Duration interval) {
        Arrivals arrivals = new Arrivals(client, orders, interval);
        arrivals.pacer.start();
        return arrivals;
    }

    /** How many orders the API has accepted so far. */
    int placed() {
        return placed.size();
    }

    /** Waits until every order has been placed (a placement that failed for good throws); returns them. */
    List<PlacedOrder> awaitAll(Duration limit) throws Exception {
        pacer.join(limit.toMillis());
        for (Future<?> request : requests) {
            request.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        clients.shutdown();
        return List.copyOf(placed);
    }
}
