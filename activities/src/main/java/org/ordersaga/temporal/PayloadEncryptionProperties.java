package org.ordersaga.temporal;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * The keys that encrypt what the API and the workers hand to Temporal ({@code saga.payload-encryption.*},
 * {@code SAGA_PAYLOAD_ENCRYPTION_*}), the same in every process. Without keys, payloads go to Temporal in plain text.
 *
 * @param keys every key this process may meet in a history, each {@code <id>:<base64 of 32 random bytes>}
 *     ({@code SAGA_PAYLOAD_ENCRYPTION_KEYS=2026-12:…,2026-06:…}; {@code openssl rand -base64 32} makes one). The id is
 *     written beside each payload, so a retired key must stay here as long as histories it encrypted are kept.
 * @param keyId the id of the key that encrypts from now on; one of {@code keys}
 */
@ConfigurationProperties("saga.payload-encryption")
public record PayloadEncryptionProperties(
        @Nullable List<String> keys, @Nullable String keyId) {}
