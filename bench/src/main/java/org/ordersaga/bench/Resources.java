package org.ordersaga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time and peak resident memory of processes over one window, read from /proc (Linux). A process counts with
 * what runs under it and is not measured on its own: its live descendants, and the children it has already reaped
 * (cutime, cstime), so that PostgreSQL is its postmaster with every backend, including those that came and went.
 * Of a JVM's CPU, the part its JIT compiler threads spent is told apart: on a few cores, compilation can be a large
 * share of a lightly loaded JVM's CPU for many minutes after it starts.
 * Peak RSS is sampled every 200 ms, of the process itself.
 */
final class Resources {

    /** Linux reports CPU times in clock ticks of 1/100 s on every architecture this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final Pattern COMPILER_THREAD = Pattern.compile("C[12] CompilerThre.*");

    /** A process's CPU seconds, those of them its JIT compiler threads spent, and its peak resident memory. */
    record Usage(double cpuSeconds, double jitCpuSeconds, long peakRssMb) {}

    private final Map<String, Long> pids;
    private final Map<String, Long> startTicks = new LinkedHashMap<>();
    private final Map<String, Map<Long, Long>> startJitTicks = new LinkedHashMap<>();
    private final Map<String, Long> peakRssKb = new ConcurrentHashMap<>();
    private final Thread sampler;
    private final long startNanos;
    private volatile boolean sampling = true;

    private Resources(Map<String, Long> pids) {
        this.pids = pids;
        pids.forEach((name, pid) -> {
            startTicks.put(name, treeTicks(pid));
            startJitTicks.put(name, jitTicks(pid));
        });
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
                        seconds(treeTicks(pid) - startTicks.get(name)),
                        seconds(jitTicksSince(jitTicks(pid), startJitTicks.get(name))),
                        peakRssKb.getOrDefault(name, 0L) / 1024)));
        return usage;
    }

    /** The wall-clock seconds since {@link #measure}. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double seconds(long ticks) {
        return Math.round(ticks / TICKS_PER_SECOND * 100) / 100.0;
    }

    /** The CPU seconds of all the processes together. */
    static double totalCpuSeconds(Map<String, Usage> usage) {
        return usage.values().stream().mapToDouble(Usage::cpuSeconds).sum();
    }

    /** What the JIT compiler threads of all the processes spent together, in CPU seconds. */
    static double totalJitCpuSeconds(Map<String, Usage> usage) {
        return usage.values().stream().mapToDouble(Usage::jitCpuSeconds).sum();
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
            return ticksFromUtime(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), 4);
        } catch (IOException gone) {
            return 0;
        }
    }

    /**
     * utime + stime of each HotSpot compiler thread ({@code C1 CompilerThread0}, {@code C2 CompilerThread0}, ...,
     * their names cut to 15 characters by the kernel), by thread id; none in a process that is not a JVM.
     */
    private static Map<Long, Long> jitTicks(long pid) {
        List<Path> threads;
        try (Stream<Path> listed = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            threads = listed.toList();
        } catch (IOException gone) {
            return Map.of();
        }
        Map<Long, Long> ticks = new HashMap<>();
        for (Path thread : threads) {
            try {
                String stat = Files.readString(thread.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (COMPILER_THREAD.matcher(name).matches()) {
                    ticks.put(Long.parseLong(thread.getFileName().toString()), ticksFromUtime(stat, 2));
                }
            } catch (IOException ended) {
                // a thread that ended took its ticks with it
            }
        }
        return ticks;
    }

    /**
     * What the compiler threads alive at the end spent since the start. HotSpot starts and stops compiler threads as
     * its queue grows and shrinks, and one that stopped in between took its ticks with it: a sum over the threads
     * alive at each end could even fall. So this counts per thread, and what a stopped thread spent is missing.
     */
    private static long jitTicksSince(Map<Long, Long> end, Map<Long, Long> start) {
        long total = 0;
        for (Map.Entry<Long, Long> thread : end.entrySet()) {
            long before = start.getOrDefault(thread.getKey(), 0L);
            // a thread id reused by a newer compiler thread has fewer ticks than the old thread had
            total += thread.getValue() >= before ? thread.getValue() - before : thread.getValue();
        }
        return total;
    }

    /**
     * The sum of {@code count} clock-tick fields from utime, the 14th field of a {@code stat} line. Fields are counted
     * after the command name, which may contain spaces; the first after it, state, is the 3rd.
     */
    private static long ticksFromUtime(String stat, int count) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long total = 0;
        for (int field = 11; field < 11 + count; field++) {
            total += Long.parseLong(fields[field]);
        }
        return total;
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
