package org.ordersaga.local;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping a child process by its handle, never by name. */
final class Processes {

    private Processes() {}

    /** SIGTERM, then SIGKILL after {@code grace}; returns once the process is gone (or 10 s after the SIGKILL). */
    static void stop(Process process, Duration grace) {
        process.destroy();
        awaitExit(process, grace);
    }

    /** Waits up to {@code grace} for a process told to stop, then kills it. */
    static void awaitExit(Process process, Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
