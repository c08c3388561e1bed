package org.ordersaga;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool run to its end, for the tests that check with one (AsyncAPI's parser, promtool): its exit code
 * and what it printed on stdout. What it prints on stderr is appended to a log, which a failure names.
 */
public record ToolRun(int exitCode, String output) {

    /** Runs {@code command}; the test fails if it has not ended within {@code limit}. */
    public static ToolRun of(List<String> command, Duration limit, Path log) throws Exception {
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        process.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        });
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not end within " + limit + "; see " + log);
        }
        return new ToolRun(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }

    /**
     * The tool a test needs could not be had: the test fails when {@code requireVariable} is {@code 1} (as in CI),
     * else it is skipped, loudly.
     */
    public static void missing(String requireVariable, String why) {
        if ("1".equals(System.getenv(requireVariable))) {
            fail(why + "\n" + requireVariable + "=1 makes that a failure");
        }
        System.err.println("!!! SKIPPED: " + why);
        Assumptions.abort(why);
    }

    /** The last line it printed: what the scripts that find a tool print. */
    public String lastLine() {
        List<String> lines = output.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
