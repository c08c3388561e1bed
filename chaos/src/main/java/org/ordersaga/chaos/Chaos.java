package org.ordersaga.chaos;

import java.nio.file.Path;
import org.ordersaga.local.LocalTemporal;

/**
 * {@code scripts/chaos.sh}: a chaos run on the production Temporal server, its report in {@code target/chaos/report.md};
 * exits 1 when the audit found any violation.
 */
public final class Chaos {

    private Chaos() {}

    public static void main(String[] arguments) throws Exception {
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path serverHome = LocalTemporal.findServerHome()
                .orElseThrow(() -> new IllegalStateException(
                        "no Temporal server: set TEMPORAL_SERVER_HOME to what scripts/temporal-server.sh prints"));
        Path cli = LocalTemporal.findCli()
                .orElseThrow(() -> new IllegalStateException(
                        "no temporal CLI: set TEMPORAL_CLI to what scripts/temporal-cli.sh prints"));
        try {
            ChaosRun.Result result =
                    new ChaosRun(options, Path.of("docs", "events.md"), serverHome, cli, System.out::println).run();
            Path report = ChaosReport.write(result);
            int violations = result.audit().violations().total();
            System.out.println(violations + " violations; the report is " + report);
            System.exit(violations == 0 ? 0 : 1);
        } catch (Exception e) {
            System.err.println("the chaos run could not finish; see the logs in "
                    + options.out().resolve("stack/logs"));
            e.printStackTrace();
            System.exit(1);
        }
    }
}
