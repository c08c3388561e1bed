package org.ordersaga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time and peak resident memory of processes over one window, read from /proc (Linux). A process counts with
 * what runs under it and is not measured on its own: its live descendants, and the children it has already reaped
 * (cutime, cstime), so that PostgreSQL is its postmaster with every backend, including those that came and went.
 * Peak RSS is sampled every 200 ms, of the process itself.
 */
final class Resources {

    /** Linux reports CPU times in clock ticks of 1/100 s on every architecture this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    record Usage(double cpuSeconds, long peakRssMb) {}

    private final Map<String, Long> pids;
    private final Map<String, Long> startTicks = new LinkedHashMap<>();
    private final Map<String, Long> peakRssKb = new ConcurrentHashMap<>();
    private final Thread sampler;
    private final long startNanos;
    private volatile boolean sampling = true;

    private Resources(Map<String, Long> pids) {
        this.pids = pids;
        pids.forEach((name, pid) -> startTicks.put(name, treeTicks(pid)));
        sampler = new Thread(this::sample, "resource-sampler");
        sampler.setDaemon(true);
        sampler.start();
        startNanos = System.nanoTime();
    }

    /** Starts measuring the processes, by name and pid. */
    static Resources measure(Map<String, Long> pids) {
        return new Resources(pids);
    }

    /** Stops measuring; the usage of each process since {@link #measure}. */
    Map<String, Usage> stop() {
        sampling = false;
        sampler.interrupt();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Usage> usage = new LinkedHashMap<>();
        pids.forEach((name, pid) -> usage.put(
                name,
                new Usage(
                        Math.round((treeTicks(pid) - startTicks.get(name)) / TICKS_PER_SECOND * 100) / 100.0,
                        peakRssKb.getOrDefault(name, 0L) / 1024)));
        return usage;
    }

    /** The wall-clock seconds since {@link #measure}. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The CPU seconds of all the processes together. */
    static double totalCpuSeconds(Map<String, Usage> usage) {
        return usage.values().stream().mapToDouble(Usage::cpuSeconds).sum();
    }

    private void sample() {
        while (sampling) {
            pids.forEach((name, pid) -> peakRssKb.merge(name, rssKb(pid), Math::max));
            try {
                Thread.sleep(200);
            } catch (InterruptedException stopped) {
                return;
            }
        }
    }

    /** The process and its descendants, except those measured on their own (the benchmark starts them all). */
    private long treeTicks(long pid) {
        long ticks = ticks(pid);
        for (ProcessHandle child : ProcessHandle.of(pid).stream()
                .flatMap(ProcessHandle::children)
                .filter(child -> !pids.containsValue(child.pid()))
                .toList()) {
            ticks += treeTicks(child.pid());
        }
        return ticks;
    }

    /** utime + stime + cutime + cstime: the process and the children it waited for. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which may contain spaces: state is the 3rd field, utime the 14th
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long total = 0;
            for (int field = 11; field <= 14; field++) {
                total += Long.parseLong(fields[field]);
            }
            return total;
        } catch (IOException gone) {
            return 0;
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException gone) {
            // the process ended; its last sample stands
        }
        return 0;
    }
}
