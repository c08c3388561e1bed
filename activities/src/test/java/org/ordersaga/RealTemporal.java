package org.ordersaga;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * For tests tagged {@code real-temporal}, which need a real Temporal server (visibility, the Web UI): the dev server
 * of the {@code temporal} CLI, and for some the production server too. Without them they are skipped, loudly; with
 * {@code REQUIRE_REAL_TEMPORAL=1} (as in CI) they fail instead.
 */
public final class RealTemporal {

    private RealTemporal() {}

    public static void require(boolean available) {
        if (available) {
            return;
        }
        String why = "this test needs a real Temporal server: the temporal CLI (set TEMPORAL_CLI or put temporal on"
                + " the PATH; scripts/temporal-cli.sh builds one) and, for the production server, TEMPORAL_SERVER_HOME"
                + " (what scripts/temporal-server.sh prints)";
        if ("1".equals(System.getenv("REQUIRE_REAL_TEMPORAL"))) {
            fail(why + "; REQUIRE_REAL_TEMPORAL=1 makes that a failure");
        }
        System.err.println("!!! SKIPPED: " + why);
        Assumptions.abort(why);
    }
}
