package org.ordersaga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * JFR recordings of JVMs, started and stopped with {@code jcmd} outside the measured windows; the top frames by self
 * time (JFR's execution samples, the method on top of each sampled Java stack) of any window inside them.
 */
final class Profiles {

    private static final String NAME = "order-saga-bench";

    /** A method and its share of the samples taken in the window. */
    record Frame(String method, double share) {}

    private final Map<String, Long> jvms;
    private final Path directory;

    private Profiles(Map<String, Long> jvms, Path directory) {
        this.jvms = jvms;
        this.directory = directory;
    }

    /** Starts a recording in each JVM, by name and pid. */
    static Profiles start(Map<String, Long> jvms, Path directory) throws IOException {
        Files.createDirectories(directory);
        jvms.values().forEach(pid -> jcmd(pid, "JFR.start", "name=" + NAME, "settings=default"));
        return new Profiles(jvms, directory);
    }

    /** Stops the recordings and writes them as {@code <directory>/<name>.jfr}; returns them by JVM name. */
    Map<String, Path> stop() {
        Map<String, Path> recordings = new LinkedHashMap<>();
        jvms.forEach((name, pid) -> {
            Path file = directory.resolve(name.replace(' ', '-') + ".jfr");
            jcmd(pid, "JFR.stop", "name=" + NAME, "filename=" + file);
            if (Files.exists(file)) {
                recordings.put(name, file);
            }
        });
        return recordings;
    }

    /** The {@code limit} methods most often on top of a sampled stack between {@code from} and {@code to}. */
    static List<Frame> topFrames(Path recording, Instant from, Instant to, int limit) throws IOException {
        Map<String, Integer> samples = new HashMap<>();
        int total = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                        || event.getStartTime().isBefore(from)
                        || event.getStartTime().isAfter(to)
                        || event.getStackTrace() == null
                        || event.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                RecordedFrame top = event.getStackTrace().getFrames().get(0);
                samples.merge(
                        top.getMethod().getType().getName() + "."
                                + top.getMethod().getName(),
                        1,
                        Integer::sum);
                total++;
            }
        }
        int sampled = total;
        return samples.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .map(entry -> new Frame(entry.getKey(), Math.round(1000.0 * entry.getValue() / sampled) / 1000.0))
                .toList();
    }

    /** Runs the JDK's jcmd against a JVM; a JVM that has gone or refuses is left unprofiled. */
    private static void jcmd(long pid, String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> arguments = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        arguments.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(arguments)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            // no jcmd in this Java: the report goes without profiles
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
