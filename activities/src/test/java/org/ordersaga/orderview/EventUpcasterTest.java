package org.ordersaga.orderview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.ordersaga.outbox.EventType;

class EventUpcasterTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    @Test
    void aVersion1PaymentEventsBareAmountBecomesMoneyInTheCatalogsCurrency() throws Exception {
        JsonNode v1 = json("{\"orderId\":\"42\",\"chargeKey\":\"k\",\"customerId\":\"c\",\"amount\":30.00}");

        assertEquals(
                json("{\"orderId\":\"42\",\"chargeKey\":\"k\",\"customerId\":\"c\","
                        + "\"charged\":{\"amount\":30.00,\"currency\":\"EUR\"}}"),
                EventUpcaster.upcast(EventType.PAYMENT_CHARGED, 1, v1));
        assertEquals(
                json("{\"orderId\":\"42\",\"chargeKey\":\"k\",\"customerId\":\"c\","
                        + "\"refunded\":{\"amount\":30.00,\"currency\":\"EUR\"}}"),
                EventUpcaster.upcast(EventType.PAYMENT_REFUNDED, 1, v1));
        assertEquals(
                "30.00",
                EventUpcaster.upcast(EventType.PAYMENT_CHARGED, 1, v1)
                        .at("/charged/amount")
                        .decimalValue()
                        .toPlainString(),
                "the amount as written");
        assertEquals(json("{\"orderId\":\"42\",\"chargeKey\":\"k\",\"customerId\":\"c\",\"amount\":30.00}"), v1);
    }

    @Test
    void anEventOfTheNewestVersionIsReadAsItIs() throws Exception {
        JsonNode v2 = json("{\"charged\":{\"amount\":30.00,\"currency\":\"EUR\"}}");
        JsonNode completed = json("{\"orderId\":\"42\"}");

        assertSame(v2, EventUpcaster.upcast(EventType.PAYMENT_CHARGED, 2, v2));
        assertSame(completed, EventUpcaster.upcast(EventType.ORDER_COMPLETED, 1, completed));
    }

    @Test
    void aVersionItDoesNotReadOrAPayloadNotOfItsVersionIsRefusedWithTheReason() throws Exception {
        JsonNode payload = json("{\"orderId\":\"42\"}");

        assertEquals(
                "PaymentCharged v3 is newer than this consumer reads (v2): deploy consumers before producers",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> EventUpcaster.upcast(EventType.PAYMENT_CHARGED, 3, payload))
                        .getMessage());
        assertEquals(
                "OrderCompleted v2 is newer than this consumer reads (v1): deploy consumers before producers",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> EventUpcaster.upcast(EventType.ORDER_COMPLETED, 2, payload))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventUpcaster.upcast(EventType.PAYMENT_CHARGED, 0, payload));
        assertEquals(
                "a version 1 payment event's amount is a number, not null",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> EventUpcaster.upcast(EventType.PAYMENT_CHARGED, 1, payload))
                        .getMessage());
        assertEquals(
                "a version 1 event's shippingAddress has a country, not null",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> EventUpcaster.upcast(EventType.ORDER_PLACED, 1, payload))
                        .getMessage());
    }

    @Test
    void aVersion1EventsNameAndAddressToShipToBecomeItsCountryAlone() throws Exception {
        String address = "{\"name\":\"Ada Lovelace\",\"line1\":\"12 St James's Square\",\"city\":\"London\","
                + "\"postalCode\":\"SW1Y 4JH\",\"country\":\"GB\"}";

        assertEquals(
                json("{\"orderId\":\"42\",\"customerId\":\"c\",\"items\":[],\"shippingCountry\":\"GB\"}"),
                EventUpcaster.upcast(
                        EventType.ORDER_PLACED,
                        1,
                        json("{\"orderId\":\"42\",\"customerId\":\"c\",\"items\":[],\"shippingAddress\":" + address
                                + "}")));
        assertEquals(
                json("{\"orderId\":\"42\",\"shipmentKey\":\"k\",\"trackingNumber\":\"TRK-1\","
                        + "\"shippingCountry\":\"GB\"}"),
                EventUpcaster.upcast(
                        EventType.SHIPMENT_CREATED,
                        1,
                        json("{\"orderId\":\"42\",\"shipmentKey\":\"k\",\"trackingNumber\":\"TRK-1\",\"address\":"
                                + address + "}")));
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }
}
