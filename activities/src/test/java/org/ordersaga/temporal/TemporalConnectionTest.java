package org.ordersaga.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporalConnectionTest {

    private static TemporalProperties endpoint(boolean tls, String clientCert, String clientKey, String serverCa) {
        return new TemporalProperties(
                "temporal.example:7233",
                "default",
                tls,
                clientCert,
                clientKey,
                serverCa,
                2,
                2,
                200,
                200,
                600,
                Duration.ofSeconds(60));
    }

    @Test
    void withoutTlsSettingsTheConnectionIsPlain() {
        WorkflowServiceStubsOptions options =
                TemporalConnection.options(endpoint(false, null, null, null)).build();

        assertEquals("temporal.example:7233", options.getTarget());
        assertNull(options.getSslContext());
    }

    @Test
    void tlsAloneTrustsTheJvmDefaults() {
        assertNotNull(TemporalConnection.options(endpoint(true, null, null, null))
                .build()
                .getSslContext());
    }

    @Test
    void aClientCertificateWithoutItsKeyIsRefusedByName(@TempDir Path directory) {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> TemporalConnection.options(
                        endpoint(false, directory.resolve("client.pem").toString(), null, null)));
        assertEquals("saga.temporal.client-cert is set without saga.temporal.client-key", refused.getMessage());
    }

    @Test
    void anUnreadableFileIsNamedWithItsSetting(@TempDir Path directory) {
        Path missing = directory.resolve("ca.pem");
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> TemporalConnection.options(endpoint(false, null, null, missing.toString())));
        assertEquals("saga.temporal.server-ca: cannot read " + missing.toAbsolutePath(), refused.getMessage());
    }
}
