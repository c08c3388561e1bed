package org.ordersaga.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/** A JVM started from a jar, its output in a log file, stopped by its pid. */
public final class ChildProcess {

    private final String name;
    private final Path log;
    private final Duration grace;
    private final Process process;

    private ChildProcess(String name, Path log, Duration grace, Process process) {
        this.name = name;
        this.log = log;
        this.grace = grace;
        this.process = process;
    }

    /**
     * {@code java -Xmx<heap> -jar <jar> <arguments>} with {@code environment} added to this JVM's, appending to
     * {@code log}; when stopped, it gets {@code grace} to exit on its own.
     */
    public static ChildProcess java(
            String name,
            Path jar,
            String heap,
            List<String> arguments,
            Map<String, String> environment,
            Path log,
            Duration grace) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-jar",
                jar.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            return new ChildProcess(name, log, grace, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Runs {@code action} with the exit code when the process ends. */
    public void onExit(IntConsumer action) {
        process.onExit().thenAccept(exited -> action.accept(exited.exitValue()));
    }

    /** SIGTERM: the process starts stopping on its own. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit after {@link #terminate()}, killing it once its grace is over. */
    public void awaitExit() {
        Processes.awaitExit(process, grace);
    }

    /** SIGKILL, a crash: the process gets no chance to finish anything. */
    public void kill() {
        Processes.awaitExit(process.destroyForcibly(), Duration.ofSeconds(10));
    }
}
