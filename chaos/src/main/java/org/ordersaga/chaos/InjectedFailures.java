package org.ordersaga.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Activity attempts that failed on purpose, counted in the workers' logs, where the SDK reports each failed attempt. */
final class InjectedFailures {

    /** How the SDK's warning of a failed attempt names the injected failure. */
    static final String MARK = "type='InjectedFault'";

    private InjectedFailures() {}

    static long count(Path logs) {
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(file -> file.getFileName().toString().startsWith("worker-"))
                    .mapToLong(InjectedFailures::countIn)
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long countIn(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(MARK)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
