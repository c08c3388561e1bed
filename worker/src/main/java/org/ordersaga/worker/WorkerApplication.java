package org.ordersaga.worker;

import io.micronaut.runtime.Micronaut;

/**
 * One executable for every service: {@code java -jar worker.jar --services=inventory,payment}. Its HTTP server
 * ({@code /prometheus}, {@code /health}) keeps it running until SIGTERM, when Micronaut closes the context and the
 * workers shut down gracefully (see {@link ServiceWorkers}).
 */
public final class WorkerApplication {

    private WorkerApplication() {}

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(WorkerApplication.class).banner(false).start();
    }
}
