package org.ordersaga.worker;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import java.util.concurrent.CountDownLatch;

/**
 * One executable for every service: {@code java -jar worker.jar --services=inventory,payment}. Runs until SIGTERM,
 * then shuts down gracefully (see {@link ServiceWorkers}).
 */
public final class WorkerApplication {

    private WorkerApplication() {}

    public static void main(String[] args) throws InterruptedException {
        ApplicationContext context = Micronaut.build(args).mainClass(WorkerApplication.class).banner(false).start();
        // No HTTP server keeps this process alive: it waits here until SIGTERM has closed the context.
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            closed.countDown();
        }, "worker-shutdown"));
        closed.await();
    }
}
