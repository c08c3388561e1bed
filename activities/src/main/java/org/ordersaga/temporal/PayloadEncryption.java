package org.ordersaga.temporal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Temporal's payload codec for the saga: AES-256-GCM from the JDK over each whole payload (its metadata and data),
 * with a fresh 96-bit nonce per payload and the key's id, in the metadata, bound in as associated data. It encrypts
 * with one key and decrypts with any it holds, which is how keys rotate. Payloads that were never encrypted (those of
 * sagas started before encryption was turned on) pass through as they are. Without keys it changes nothing.
 */
public final class PayloadEncryption implements PayloadCodec {

    /** The {@code encoding} of an encrypted payload; the one before it is inside the ciphertext. */
    public static final String ENCODING = "binary/encrypted";

    /** The metadata entry naming the key that encrypted a payload. */
    public static final String KEY_ID = "encryption-key-id";

    private static final String ENCODING_KEY = "encoding";
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKey> keys;
    private final String keyId;

    private PayloadEncryption(Map<String, SecretKey> keys, String keyId) {
        this.keys = keys;
        this.keyId = keyId;
    }

    /** The codec the settings describe; an invalid setting is refused with the setting's name. */
    public static PayloadEncryption of(PayloadEncryptionProperties properties) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String entry : Optional.ofNullable(properties.keys()).orElse(List.of())) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        "saga.payload-encryption.keys: each key is <id>:<base64>; one has no id");
            }
            String id = entry.substring(0, colon).trim();
            if (keys.put(id, secretKey(id, entry.substring(colon + 1).trim())) != null) {
                throw new IllegalArgumentException("saga.payload-encryption.keys: the id '" + id + "' is given twice");
            }
        }
        String keyId = properties.keyId();
        if (keys.isEmpty()) {
            if (keyId != null) {
                throw new IllegalArgumentException(
                        "saga.payload-encryption.key-id is set, but saga.payload-encryption.keys is empty");
            }
            return new PayloadEncryption(Map.of(), null);
        }
        if (keyId == null || !keys.containsKey(keyId)) {
            throw new IllegalArgumentException(
                    "saga.payload-encryption.key-id must name one of saga.payload-encryption.keys " + keys.keySet()
                            + ", not " + keyId);
        }
        return new PayloadEncryption(Map.copyOf(keys), keyId);
    }

    /** Whether payloads are encrypted; false without keys. */
    public boolean encrypts() {
        return keyId != null;
    }

    /** The id of the key that encrypts, if any. */
    public Optional<String> keyId() {
        return Optional.ofNullable(keyId);
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        if (keyId == null) {
            return payloads;
        }
        return payloads.stream().map(this::encrypt).toList();
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        return payloads.stream().map(this::decrypt).toList();
    }

    private Payload encrypt(Payload payload) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.get(keyId), nonce, keyId);
            byte[] sealed = cipher.doFinal(payload.toByteArray());
            return Payload.newBuilder()
                    .putMetadata(ENCODING_KEY, ByteString.copyFromUtf8(ENCODING))
                    .putMetadata(KEY_ID, ByteString.copyFromUtf8(keyId))
                    .setData(ByteString.copyFrom(ByteBuffer.allocate(nonce.length + sealed.length)
                            .put(nonce)
                            .put(sealed)
                            .array()))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new PayloadCodecException(e);
        }
    }

    private Payload decrypt(Payload payload) {
        ByteString encoding = payload.getMetadataOrDefault(ENCODING_KEY, ByteString.EMPTY);
        if (!encoding.toStringUtf8().equals(ENCODING)) {
            return payload;
        }
        String id = payload.getMetadataOrDefault(KEY_ID, ByteString.EMPTY).toStringUtf8();
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new PayloadCodecException("a payload is encrypted with the key '" + id
                    + "', which this process does not hold: add it to saga.payload-encryption.keys");
        }
        byte[] data = payload.getData().toByteArray();
        if (data.length < NONCE_BYTES) {
            throw new PayloadCodecException("an encrypted payload is too short to hold its nonce");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(data, NONCE_BYTES), id);
            return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
        } catch (GeneralSecurityException e) {
            throw new PayloadCodecException(
                    "a payload encrypted with the key '" + id + "' does not decrypt with it: altered, or another key"
                            + " under the same id",
                    e);
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadCodecException(e);
        }
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String id) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(CIPHER);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static SecretKey secretKey(String id, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("saga.payload-encryption.keys: the key '" + id + "' is not base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("saga.payload-encryption.keys: the key '" + id + "' has " + bytes.length
                    + " bytes; AES-256 takes " + KEY_BYTES + " (openssl rand -base64 32)");
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
