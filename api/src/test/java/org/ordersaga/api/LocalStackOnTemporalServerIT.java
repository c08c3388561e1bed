package org.ordersaga.api;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.ordersaga.RealTemporal;
import org.ordersaga.local.LocalTemporal;

/**
 * Everything {@link LocalStackIT} checks, on the production Temporal server ({@code ./run-local.sh --temporal=server}):
 * its databases on PostgreSQL set up by {@code docker/temporal/setup-database.sh}, its namespace and search attributes
 * by {@code setup-namespace.sh}, and its Web UI server. Orders of every outcome, visibility queries by
 * {@code OrderStatus} and {@code CustomerId}, a compensated saga in the Web UI in headless Chromium, and Ctrl-C
 * stopping every process, the server's and the UI server's too.
 */
@Tag("real-temporal")
class LocalStackOnTemporalServerIT extends LocalStackIT {

    @Override
    List<String> temporalOptions() {
        RealTemporal.require(LocalTemporal.findCli().isPresent()
                && LocalTemporal.findServerHome().isPresent());
        return List.of("--temporal=server");
    }
}
