package org.ordersaga.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StackOptionsTest {

    @Test
    void defaultsAreTheDocumentedPorts() {
        StackOptions options = StackOptions.parse();

        assertFalse(options.demo());
        assertEquals(8080, options.apiPort());
        assertEquals(7233, options.temporalPort());
        assertEquals(8233, options.temporalUiPort());
        assertEquals(9092, options.kafkaPort());
        assertEquals(5433, options.postgresPort());
        assertEquals(Path.of(".local-stack").toAbsolutePath(), options.directory());
    }

    @Test
    void everyPortAndTheDemoCanBeChosen() {
        StackOptions options = StackOptions.parse(
                "--demo",
                "--api-port=18080",
                "--temporal-port=17233",
                "--temporal-ui-port=18233",
                "--kafka-port=19092",
                "--postgres-port=15433",
                "--dir=/tmp/stack");

        assertTrue(options.demo());
        assertEquals(18080, options.apiPort());
        assertEquals(17233, options.temporalPort());
        assertEquals(18233, options.temporalUiPort());
        assertEquals(19092, options.kafkaPort());
        assertEquals(15433, options.postgresPort());
        assertEquals(Path.of("/tmp/stack"), options.directory());
    }

    @Test
    void badOptionsAreNamed() {
        assertEquals(
                "unknown option --ui",
                assertThrows(IllegalArgumentException.class, () -> StackOptions.parse("--ui"))
                        .getMessage());
        assertEquals(
                "--kafka-port must be a port number (1-65535), not 'x'",
                assertThrows(IllegalArgumentException.class, () -> StackOptions.parse("--kafka-port=x"))
                        .getMessage());
        assertEquals(
                "--api-port must be a port number (1-65535), not '70000'",
                assertThrows(IllegalArgumentException.class, () -> StackOptions.parse("--api-port=70000"))
                        .getMessage());
    }

    @Test
    void aBusyPortIsReportedWithTheOptionThatMovesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            IllegalStateException busy =
                    assertThrows(IllegalStateException.class, () -> Ports.requireFree(port, "Kafka", "--kafka-port"));
            assertEquals(
                    "port " + port + " (Kafka) is already in use on 127.0.0.1; stop what uses it or choose"
                            + " another with --kafka-port=PORT",
                    busy.getMessage());
        }
    }
}
