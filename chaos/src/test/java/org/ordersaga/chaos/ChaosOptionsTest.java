package org.ordersaga.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {

    @Test
    void withoutArgumentsTenThousandOrdersArriveFourASecondWithFivePercentOfAttemptsFailing() {
        ChaosOptions options = ChaosOptions.parse();

        assertEquals(10_000, options.orders());
        assertEquals(4.0, options.rate());
        assertEquals(Path.of("target", "chaos"), options.out());
        assertEquals(
                Map.of(
                        "SAGA_FAULTS_ORDERS_MODE", "BEFORE",
                        "SAGA_FAULTS_ORDERS_RATE", "0.05",
                        "SAGA_FAULTS_INVENTORY_MODE", "AFTER_COMMIT",
                        "SAGA_FAULTS_INVENTORY_RATE", "0.05",
                        "SAGA_FAULTS_PAYMENT_MODE", "AFTER_COMMIT",
                        "SAGA_FAULTS_PAYMENT_RATE", "0.05",
                        "SAGA_FAULTS_SHIPPING_MODE", "BEFORE",
                        "SAGA_FAULTS_SHIPPING_RATE", "0.05"),
                options.workerSettings());
    }

    @Test
    void givenOptionsReplaceTheDefaults() {
        ChaosOptions options = ChaosOptions.parse("--orders=300", "--rate=2.5", "--fault-rate=0", "--out=/tmp/c");

        assertEquals(300, options.orders());
        assertEquals(2.5, options.rate());
        assertEquals(0.0, options.faultRate());
        assertEquals(Path.of("/tmp/c"), options.out());
    }

    @Test
    void aWrongArgumentIsRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChaosOptions.parse("--order=3"))
                .getMessage()
                .contains("unknown argument '--order=3'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChaosOptions.parse("--orders=many"))
                .getMessage()
                .contains("--orders needs a number, not 'many'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChaosOptions.parse("--orders=0"))
                .getMessage()
                .contains("--orders must be at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChaosOptions.parse("--fault-rate=1"))
                .getMessage()
                .contains("--fault-rate must be from 0 to below 1"));
    }
}
