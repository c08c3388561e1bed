package org.ordersaga.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ordersaga.saga.OrderItem;
import org.ordersaga.saga.OrderRequest;
import org.ordersaga.saga.ShippingAddress;

class PayloadEncryptionTest {

    private static final String OLD = "2026-06:" + key(1);
    private static final String NEW = "2026-12:" + key(2);
    private static final OrderRequest ORDER = new OrderRequest(
            "o-1",
            "cust-ok",
            List.of(new OrderItem("sku-100", 2)),
            new ShippingAddress("Ada Lovelace", "12 St James's Square", "London", "SW1Y 4JH", "GB"));

    @Test
    void aPayloadIsSealedUnderTheEncryptingKeyAndOpensToWhatItWas() {
        PayloadEncryption encryption = encryption(List.of(OLD, NEW), "2026-12");
        Payload plain = json(ORDER);

        Payload sealed = encryption.encode(List.of(plain)).get(0);

        assertEquals("binary/encrypted", sealed.getMetadataOrThrow("encoding").toStringUtf8());
        assertEquals(
                "2026-12", sealed.getMetadataOrThrow(PayloadEncryption.KEY_ID).toStringUtf8());
        assertFalse(sealed.toByteString().toStringUtf8().contains("Ada"), "no name in the sealed payload");
        assertEquals(plain, encryption.decode(List.of(sealed)).get(0));
        assertNotEquals(
                sealed.getData(), encryption.encode(List.of(plain)).get(0).getData(), "a fresh nonce for each payload");
    }

    @Test
    void aRotatedCodecOpensWhatTheOldKeySealedAndSealsWithTheNewOne() {
        Payload sealedBefore =
                encryption(List.of(OLD), "2026-06").encode(List.of(json(ORDER))).get(0);
        PayloadEncryption rotated = encryption(List.of(OLD, NEW), "2026-12");

        assertEquals(json(ORDER), rotated.decode(List.of(sealedBefore)).get(0));
        assertEquals(
                "2026-12",
                rotated.encode(List.of(json(ORDER)))
                        .get(0)
                        .getMetadataOrThrow(PayloadEncryption.KEY_ID)
                        .toStringUtf8());
    }

    @Test
    void aPayloadThatWasNeverEncryptedPassesThrough() {
        Payload plain = json(ORDER);
        assertSame(
                plain,
                encryption(List.of(NEW), "2026-12").decode(List.of(plain)).get(0));
    }

    @Test
    void withoutKeysNothingIsEncrypted() {
        PayloadEncryption none = PayloadEncryption.of(new PayloadEncryptionProperties(null, null));
        Payload plain = json(ORDER);
        assertFalse(none.encrypts());
        assertSame(plain, none.encode(List.of(plain)).get(0));
    }

    @Test
    void aKeyThisProcessDoesNotHoldOrATamperedPayloadIsRefusedNamingTheKey() {
        Payload sealed =
                encryption(List.of(OLD), "2026-06").encode(List.of(json(ORDER))).get(0);

        PayloadCodecException unknown = assertThrows(
                PayloadCodecException.class,
                () -> encryption(List.of(NEW), "2026-12").decode(List.of(sealed)));
        assertTrue(unknown.getMessage().contains("'2026-06'"), unknown.getMessage());

        byte[] data = sealed.getData().toByteArray();
        data[data.length - 1] ^= 1;
        Payload tampered = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
        assertThrows(
                PayloadCodecException.class,
                () -> encryption(List.of(OLD), "2026-06").decode(List.of(tampered)));

        Payload relabelled = sealed.toBuilder()
                .putMetadata(PayloadEncryption.KEY_ID, ByteString.copyFromUtf8("2026-12"))
                .build();
        assertThrows(
                PayloadCodecException.class,
                () -> encryption(List.of("2026-12:" + key(1)), "2026-12").decode(List.of(relabelled)),
                "the key id is bound into the ciphertext");
    }

    @Test
    void settingsThatCannotWorkAreRefusedNamingTheSetting() {
        Map<String, PayloadEncryptionProperties> invalid = Map.of(
                "key-id", new PayloadEncryptionProperties(List.of(OLD), "2026-12"),
                "no id", new PayloadEncryptionProperties(List.of(key(1)), null),
                "not base64", new PayloadEncryptionProperties(List.of("k:not base64!"), "k"),
                "32",
                        new PayloadEncryptionProperties(
                                List.of("k:" + Base64.getEncoder().encodeToString(new byte[16])), "k"),
                "twice", new PayloadEncryptionProperties(List.of(OLD, OLD), "2026-06"),
                "keys is empty", new PayloadEncryptionProperties(List.of(), "2026-06"));
        invalid.forEach((reason, properties) -> {
            IllegalArgumentException refused =
                    assertThrows(IllegalArgumentException.class, () -> PayloadEncryption.of(properties), reason);
            assertTrue(refused.getMessage().contains("saga.payload-encryption."), refused.getMessage());
            assertTrue(refused.getMessage().contains(reason), reason + ": " + refused.getMessage());
        });
    }

    @Test
    void theDataConverterEncryptsWhatTheSagaSendsAndReadsItBack() {
        DataConverter converter = TemporalConnection.dataConverter(encryption(List.of(NEW), "2026-12"));
        Payload sealed = converter.toPayload(ORDER).orElseThrow();
        assertEquals("binary/encrypted", sealed.getMetadataOrThrow("encoding").toStringUtf8());
        assertEquals(ORDER, converter.fromPayload(sealed, OrderRequest.class, OrderRequest.class));
    }

    private static PayloadEncryption encryption(List<String> keys, String keyId) {
        return PayloadEncryption.of(new PayloadEncryptionProperties(keys, keyId));
    }

    private static Payload json(Object value) {
        return DefaultDataConverter.newDefaultInstance().toPayload(value).orElseThrow();
    }

    private static String key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return Base64.getEncoder().encodeToString(key);
    }
}
