package org.ordersaga.local;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * A payload encryption key made for one run, as an operator makes one ({@code openssl rand -base64 32}), and the
 * settings that give it to a process: the only key, and the one that encrypts.
 *
 * @param id written beside each payload it encrypts
 * @param base64 32 random bytes
 */
public record PayloadKey(String id, String base64) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static PayloadKey generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new PayloadKey(
                "local-" + Instant.now().getEpochSecond(), Base64.getEncoder().encodeToString(key));
    }

    /** The entry of {@code saga.payload-encryption.keys}. */
    public String entry() {
        return id + ":" + base64;
    }

    public Map<String, String> environment() {
        return Map.of("SAGA_PAYLOAD_ENCRYPTION_KEYS", entry(), "SAGA_PAYLOAD_ENCRYPTION_KEY_ID", id);
    }
}
