package org.ordersaga.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The run's report, {@code report.md}: what it did, what broke, and what the audit found. */
final class ChaosReport {

    private ChaosReport() {}

    static Path write(ChaosRun.Result result) throws IOException {
        Files.createDirectories(result.options().out());
        Path report = result.options().out().resolve("report.md");
        Files.writeString(report, markdown(result));
        return report;
    }

    static String markdown(ChaosRun.Result result) {
        ChaosOptions options = result.options();
        SagaAudit.Result audit = result.audit();
        StringBuilder md = new StringBuilder();
        md.append("# Chaos run: ").append(audit.violations().total()).append(" violations\n\n");
        md.append("- Started ")
                .append(result.startedAt().truncatedTo(ChronoUnit.SECONDS))
                .append(" on ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores; took ")
                .append(minutes(result.took()))
                .append(" in all: orders arrived for ")
                .append(minutes(result.arrivals()))
                .append(", everything had settled ")
                .append(minutes(result.settled()))
                .append(" after the first.\n");
        md.append("- The production Temporal server on PostgreSQL, PostgreSQL, one Kafka broker, a worker per service"
                + " (payment: two replicas) and the API, each its own process.\n");
        md.append(String.format(
                "- **Orders:** %d placed over HTTP at %s a second (six in ten to complete; one in ten each declined,"
                        + " out of stock, unserviceable, cancelled).%n",
                options.orders(), options.rate()));
        md.append(String.format(
                "- **Faults injected:** %s of every service's activity attempts fail on purpose (orders and shipping"
                        + " before their work, inventory and payment after committing it): %d attempts failed so.%n",
                options.faultRate(), result.injectedFailures()));
        md.append("- **Kills and restarts:** ");
        result.blows()
                .forEach((kind, count) ->
                        md.append(kind).append(" ×").append(count).append("; "));
        md.setLength(md.length() - 2);
        md.append(".\n");
        md.append("- **Events:** %d distinct on Kafka, as %d records: %d repeats, which consumers drop by event id.\n\n"
                .formatted(audit.events(), audit.records(), audit.records() - audit.events()));

        md.append("## Outcomes\n\n| saga ended | orders |\n|---|---|\n");
        audit.outcomes()
                .forEach((outcome, count) -> md.append("| ")
                        .append(outcome)
                        .append(" | ")
                        .append(count)
                        .append(" |\n"));

        md.append("\n## Audit (0 is the only passing count)\n\n| check | violations |\n|---|---|\n");
        audit.violations()
                .counts()
                .forEach((check, count) -> md.append("| ")
                        .append(check)
                        .append(" | ")
                        .append(count)
                        .append(" |\n"));
        audit.violations().counts().forEach((check, count) -> {
            if (count > 0) {
                md.append("\n### ").append(check).append("\n\n");
                audit.violations()
                        .examples(check)
                        .forEach(example -> md.append("- ").append(example).append('\n'));
            }
        });

        md.append("\n## Timeline\n\n");
        result.timeline().forEach(entry -> md.append("- ").append(entry).append('\n'));
        return md.toString();
    }

    private static String minutes(Duration duration) {
        return "%d min %02d s".formatted(duration.toMinutes(), duration.toSecondsPart());
    }
}
