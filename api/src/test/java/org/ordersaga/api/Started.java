package org.ordersaga.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.ordersaga.local.ChildProcess;

/**
 * What a test started, for its clean-up: the product's processes are stopped first, all at once (each finishes its
 * work in flight), then everything else, last started first.
 */
final class Started implements AutoCloseable {

    private final List<ChildProcess> processes = new ArrayList<>();
    private final Deque<AutoCloseable> others = new ArrayDeque<>();

    ChildProcess process(ChildProcess process) {
        processes.add(process);
        return process;
    }

    void other(AutoCloseable closeable) {
        others.push(closeable);
    }

    @Override
    public void close() throws Exception {
        processes.forEach(ChildProcess::terminate);
        processes.forEach(ChildProcess::awaitExit);
        while (!others.isEmpty()) {
            others.pop().close();
        }
    }
}
